"""The browser app's products (catalogue, pickers, filter) and contact avatars."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

pytest.importorskip("playwright.async_api", reason="playwright is not installed")

from PIL import Image
from playwright.async_api import BrowserContext, Page, expect

from tests.e2e.conftest import CLIENT_PASSWORD, GraphQL, MailCrm, Shoot, create_client
from tests.e2e.test_app import create_company, create_contact
from tests.e2e.test_groups_segments import add_filter

# A DataTransfer holding one JPEG (given in base64), as a drop from the desktop brings.
DROPPED_JPEG = """
(base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "dropped.jpg", { type: "image/jpeg" }));
  return transfer;
}"""


def small_jpeg(folder: Path) -> Path:
    """A 120 x 80 JPEG photo: not square, so the server crops it."""
    path = folder / "portrait.jpg"
    image = Image.new("RGB", (120, 80), (200, 90, 40))
    image.paste((40, 90, 200), (40, 0, 80, 80))
    image.save(path, "JPEG", quality=90)
    return path


async def test_a_product_chosen_in_the_contact_form_filters_the_contacts_list(
    page: Page, gql: GraphQL, shoot: Shoot, token: str
) -> None:
    ada = await create_contact(gql, firstName="Ada", lastName=token)
    await create_contact(gql, firstName="Bob", lastName=token)
    acme = await create_company(gql, f"Acme {token}")
    await create_company(gql, f"Beta {token}")
    product = f"Support plan {token}"

    # given a product created on the Products page
    await page.goto("/products")
    await page.get_by_role("button", name="New product").click()
    dialog = page.get_by_role("dialog", name="New product")
    await dialog.get_by_label("Name").fill(product)
    await dialog.get_by_label("Code").fill(f"SP-{token}")
    await dialog.get_by_label("Description").fill("Priority answers within four hours.")
    await shoot(page, "products-new-dialog")
    await dialog.get_by_role("button", name="Create product").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(product)
    await expect(page.get_by_role("status")).to_contain_text(f"Created product {product}")

    # a second one whose name differs only by case is refused under the field
    await page.goto("/products")
    await page.get_by_role("button", name="New product").click()
    dialog = page.get_by_role("dialog", name="New product")
    await dialog.get_by_label("Name").fill(product.upper())
    await dialog.get_by_role("button", name="Create product").click()
    name_error = dialog.locator(".field", has=page.get_by_role("textbox", name="Name"))
    await expect(name_error.locator(".field-error")).to_contain_text("already exists")
    await dialog.get_by_role("button", name="Cancel").click()
    await page.get_by_role("searchbox", name="Search products").fill(token)
    await expect(page.get_by_role("row", name=re.compile(token))).to_have_count(1)
    await shoot(page, "products-list")

    # when it is chosen in Ada's form, by typing part of its name
    await page.goto(f"/contacts/{ada['id']}/edit")
    picker = page.get_by_role("combobox", name="Products and services")
    await picker.fill(f"plan {token}")
    await page.get_by_role("option", name=re.compile(f"^{product}")).click()
    chosen = page.get_by_role("list", name="Chosen products and services")
    await expect(chosen).to_contain_text(product)
    await shoot(page, "contact-form-products")
    await page.get_by_role("button", name="Save changes").click()
    uses = page.get_by_role("list", name="Products this contact uses")
    await expect(uses).to_contain_text(product)

    # then filtering the contacts list by it finds Ada and not Bob
    await page.goto(f"/contacts?q={token}")
    rows = page.get_by_role("row", name=re.compile(token))
    await expect(rows).to_have_count(2)
    await add_filter(page, "Product")
    filter_dialog = page.get_by_role("dialog", name="Filter by product")
    await filter_dialog.get_by_role("searchbox", name="Find a product").fill(token)
    await filter_dialog.get_by_label("Product", exact=True).select_option(label=product)
    await filter_dialog.get_by_role("button", name="Apply filter").click()
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Ada")
    await expect(page.get_by_role("list", name="Active filters")).to_contain_text(
        f"Product: {product}"
    )
    await shoot(page, "contacts-filtered-by-product")

    # and so do a company's form, page and list
    await page.goto(f"/companies/{acme['id']}/edit")
    company_picker = page.get_by_role("combobox", name="Products and services")
    await company_picker.fill(token)
    # Enter picks only among the products found for what was typed
    await expect(page.get_by_role("option", name=re.compile(f"^{product}"))).to_be_visible()
    await company_picker.press("ArrowDown")
    await company_picker.press("Enter")
    await expect(page.get_by_role("list", name="Chosen products and services")).to_contain_text(
        product
    )
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("list", name="Products this company uses")).to_contain_text(
        product
    )
    await page.goto(f"/companies?q={token}")
    companies = page.get_by_role("row", name=re.compile(token))
    await expect(companies).to_have_count(2)
    await page.get_by_label("Product", exact=True).select_option(label=product)
    await expect(companies).to_have_count(1)
    await expect(companies).to_contain_text("Acme")
    await shoot(page, "companies-filtered-by-product")

    # the product's page lists who uses it; deleting it is refused: archive it instead
    await page.goto("/products")
    await page.get_by_role("link", name=product).click()
    await expect(page.get_by_role("heading", name=re.compile(r"Contacts \(1\)"))).to_be_visible()
    await expect(page.get_by_role("heading", name=re.compile(r"Companies \(1\)"))).to_be_visible()
    await expect(page.get_by_role("link", name=f"Ada {token}")).to_be_visible()
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Delete product…").click()
    confirm = page.get_by_role("dialog")
    await expect(confirm).to_contain_text("1 contact and 1 company use")
    await expect(confirm).to_contain_text("Archive it instead")
    await confirm.get_by_role("button", name="Delete product").click()
    await expect(confirm.get_by_role("alert")).to_contain_text("archive it instead")
    await shoot(page, "product-delete-refused")
    await confirm.get_by_role("button", name="Cancel").click()
    await page.get_by_role("button", name="Actions").click()
    await page.get_by_role("menuitem", name="Archive").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Archived")
    await shoot(page, "product-page")

    # an archived product stays on Ada but is no longer offered
    await page.goto(f"/contacts/{ada['id']}/edit")
    await expect(page.get_by_role("list", name="Chosen products and services")).to_contain_text(
        "(archived)"
    )
    await page.get_by_role("combobox", name="Products and services").fill(token)
    await expect(page.get_by_role("listbox")).to_contain_text("No active product matches")


CREATE_PRODUCT = """mutation($input: CreateProductInput!) {
  createProduct(input: $input) { errors { message } } }"""


async def test_the_company_form_product_picker_highlights_what_the_pointer_or_the_arrows_reach(
    page: Page, gql: GraphQL, token: str
) -> None:
    # given three products and a company's form with its product list open
    for name in ("Alpha", "Beta", "Gamma"):
        payload = await gql(CREATE_PRODUCT, input={"name": f"{name} {token}"})
        assert payload["createProduct"]["errors"] == []
    company = await create_company(gql, f"Acme {token}")
    await page.goto(f"/companies/{company['id']}/edit")
    picker = page.get_by_role("combobox", name="Products and services")
    await picker.fill(token)
    alpha, beta = (
        page.get_by_role("option", name=re.compile(f"^{n} {token}")) for n in ("Alpha", "Beta")
    )
    await expect(beta).to_be_visible()

    # when the pointer moves onto Alpha, and then the arrow moves the highlight to Beta
    await alpha.hover()
    await expect(alpha).to_have_attribute("aria-selected", "true")
    await picker.press("ArrowDown")
    await expect(beta).to_have_attribute("aria-selected", "true")
    # and the pointer, still on Alpha, moves a little
    box = await alpha.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + box["height"] / 2)

    # then Alpha is highlighted again, and Enter picks it
    await expect(alpha).to_have_attribute("aria-selected", "true")
    await expect(beta).to_have_attribute("aria-selected", "false")
    await picker.press("Enter")
    await expect(page.get_by_role("list", name="Chosen products and services")).to_have_text(
        re.compile(f"Alpha {token}")
    )


async def test_an_avatar_uploaded_on_the_contact_page_shows_in_the_list_until_removed(
    page: Page, gql: GraphQL, shoot: Shoot, token: str, tmp_path: Path
) -> None:
    ada = await create_contact(gql, firstName="Ada", lastName=token)
    row = page.get_by_role("row", name=re.compile(token))

    # given a contact without an avatar: initials in the list (the token starts with T)
    await page.goto(f"/contacts?q={token}")
    await expect(row.locator(".avatar-initials")).to_have_attribute("data-initials", "AT")

    # when a photo is uploaded on the contact page
    await page.goto(f"/contacts/{ada['id']}")
    picture = page.get_by_role("region", name="Picture")
    await picture.get_by_label("Choose a picture…").set_input_files(str(small_jpeg(tmp_path)))
    await expect(picture.locator("img.avatar")).to_have_attribute("src", re.compile("/avatars/"))
    await expect(picture.get_by_role("button", name="Remove")).to_be_visible()
    await shoot(page, "contact-avatar")

    # then the list shows the small avatar
    await page.goto(f"/contacts?q={token}")
    thumbnail = row.locator("img.avatar")
    await expect(thumbnail).to_have_attribute("src", re.compile(r"/avatars/.*/64\.webp$"))
    decoded = "async img => { await img.decode(); return img.naturalWidth; }"
    loaded_width = await thumbnail.evaluate(decoded)
    assert loaded_width == 64
    await shoot(page, "contacts-list-avatar")

    # a file that is not an image is refused with the server's reason
    fake = tmp_path / "photo.png"
    fake.write_text("#!/bin/sh\necho not a picture\n")
    await page.goto(f"/contacts/{ada['id']}")
    await picture.get_by_label("Replace picture…").set_input_files(str(fake))
    await expect(picture.get_by_role("alert")).to_be_visible()
    await expect(picture.locator("img.avatar")).to_have_attribute("src", re.compile("/avatars/"))

    # removing it brings the initials back
    await picture.get_by_role("button", name="Remove").click()
    await expect(picture.locator(".avatar-initials")).to_have_attribute("data-initials", "AT")
    await page.goto(f"/contacts?q={token}")
    await expect(row.locator(".avatar-initials")).to_have_attribute("data-initials", "AT")
    await expect(row.locator("img.avatar")).to_have_count(0)


async def test_a_picture_dropped_on_the_new_contact_form_is_saved_with_the_contact(
    page: Page, shoot: Shoot, token: str, tmp_path: Path
) -> None:
    photo = base64.b64encode(small_jpeg(tmp_path).read_bytes()).decode()
    await page.goto("/contacts/new")
    await page.get_by_label("First name", exact=True).fill("Grace")
    await page.get_by_role("textbox", name="Last name", exact=True).fill(token)

    # when a photo is dropped on the form's picture area, before the contact exists
    dropped = await page.evaluate_handle(DROPPED_JPEG, photo)
    await page.locator(".avatar-drop").dispatch_event("drop", {"dataTransfer": dropped})
    picture = page.get_by_role("group", name="Picture")
    await expect(picture.locator("img.avatar")).to_have_attribute("src", re.compile("^blob:"))
    await shoot(page, "contact-form-avatar-preview")
    await page.get_by_role("button", name="Create contact").click()

    # then it is sent once the contact is created
    await expect(page.get_by_role("heading", name=f"Grace {token}")).to_be_visible()
    saved = page.get_by_role("region", name="Picture").locator("img.avatar")
    await expect(saved).to_have_attribute("src", re.compile("/avatars/"))


async def test_a_portal_contact_uploads_and_removes_their_own_avatar(
    staff: Page,
    client_context: BrowserContext,
    mail_app: MailCrm,
    shoot: Shoot,
    token: str,
    tmp_path: Path,
) -> None:
    # given a client who activated their portal account
    address = f"{token.lower()}@example.com"
    contact_id = await create_client(staff, token, address)
    invitation = await mail_app.wait_for(address)
    client = await client_context.new_page()
    await client.goto(mail_app.link(invitation, "portal/activate"))
    await client.get_by_label("Choose a password", exact=True).fill(CLIENT_PASSWORD)
    await client.get_by_role("button", name="Activate my account").click()
    picture = client.get_by_role("region", name="Your picture")
    await expect(picture.locator(".avatar-initials")).to_have_attribute("data-initials", "CT")

    # when they upload a photo on their profile
    await picture.get_by_label("Choose a picture…").set_input_files(str(small_jpeg(tmp_path)))

    # then they see it, and so does staff on the contact's page
    await expect(picture.locator("img.avatar")).to_have_attribute("src", re.compile("/avatars/"))
    await shoot(client, "portal-avatar")
    await staff.goto(f"/contacts/{contact_id}")
    staff_picture = staff.get_by_role("region", name="Picture")
    await expect(staff_picture.locator("img.avatar")).to_have_attribute(
        "src", re.compile("/avatars/")
    )

    # and removing it brings the initials back for both
    await picture.get_by_role("button", name="Remove").click()
    await expect(picture.locator(".avatar-initials")).to_have_attribute("data-initials", "CT")
    await staff.reload()
    await expect(staff_picture.locator(".avatar-initials")).to_have_attribute("data-initials", "CT")
