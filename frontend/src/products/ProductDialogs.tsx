import { useId, useState } from "react";
import { useMutation } from "urql";
import { FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { Field, TextField, describedBy } from "../components/ui";
import { ALL_CONTEXT } from "../lib/client";
import { CreateProductDocument, UpdateProductDocument, type ProductFieldsFragment } from "./products.generated";

const FIELDS = ["name", "code", "description"];

/** Create a product, or change one's name, code and description. */
export function ProductFormDialog({
  open,
  onOpenChange,
  product,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  product?: ProductFieldsFragment;
  onSaved: (product: ProductFieldsFragment) => void;
}) {
  const uid = useId();
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching: creating }, create] = useMutation(CreateProductDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateProductDocument);

  // Each opening starts from the product as it is now.
  useOnOpen(open, () => {
    setName(product?.name ?? "");
    setCode(product?.code ?? "");
    setDescription(product?.description ?? "");
    setErrors(NO_ERRORS);
  });

  async function save() {
    const fields = { name, code: code.trim() || null, description: description.trim() };
    const result = product
      ? await update({ input: { id: product.id, ...fields } }, ALL_CONTEXT)
      : await create({ input: fields }, ALL_CONTEXT);
    const payload =
      result.data && ("updateProduct" in result.data ? result.data.updateProduct : result.data.createProduct);
    if (payload?.product && payload.errors.length === 0) {
      onSaved(payload.product);
      onOpenChange(false);
    } else {
      setErrors(formErrors(result, payload, FIELDS, "Could not save the product."));
    }
  }

  const descriptionId = `${uid}-description`;
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={product ? `Edit product ${product.name}` : "New product"}
      submitLabel={product ? "Save product" : "Create product"}
      busy={creating || updating}
      errors={errors.general}
      onSubmit={() => void save()}
    >
      <TextField
        id={`${uid}-name`}
        label="Name"
        required
        value={name}
        onChange={setName}
        error={errors.fields.name}
        autoFocus
        maxLength={200}
      />
      <TextField
        id={`${uid}-code`}
        label="Code"
        value={code}
        onChange={setCode}
        error={errors.fields.code}
        hint="Optional, such as a SKU or an internal reference."
        maxLength={50}
      />
      <Field id={descriptionId} label="Description" error={errors.fields.description}>
        <textarea
          id={descriptionId}
          rows={3}
          value={description}
          aria-invalid={errors.fields.description ? true : undefined}
          aria-describedby={describedBy(descriptionId, errors.fields.description)}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
    </FormDialog>
  );
}
