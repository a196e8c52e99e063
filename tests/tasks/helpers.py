"""Task documents, and the records a task can be about."""

from __future__ import annotations

from typing import Any

from tests.graphql_client import GraphQLClient

TASK_FIELDS = """
id title notes kind dueAt done doneAt overdue
assignee { id email } doneBy { id email } createdBy { id }
contact { id fullName lastContactedAt } company { id name }
"""
CREATE = f"""
mutation ($input: CreateTaskInput!) {{
  createTask(input: $input) {{ task {{ {TASK_FIELDS} }} errors {{ field message code }} }}
}}
"""
UPDATE = f"""
mutation ($input: UpdateTaskInput!) {{
  updateTask(input: $input) {{ task {{ {TASK_FIELDS} }} errors {{ field message code }} }}
}}
"""
COMPLETE = f"""
mutation ($input: CompleteTaskInput!) {{
  completeTask(input: $input) {{ task {{ {TASK_FIELDS} }} errors {{ field message code }} }}
}}
"""
REOPEN = f"""
mutation ($input: TaskIdInput!) {{
  reopenTask(input: $input) {{ task {{ {TASK_FIELDS} }} errors {{ field message code }} }}
}}
"""
DELETE = """
mutation ($input: TaskIdInput!) {
  deleteTask(input: $input) { deletedId errors { field message code } }
}
"""
TASKS = """
query ($filter: TaskFilterInput, $first: Int, $after: String) {
  tasks(filter: $filter, first: $first, after: $after) {
    edges { node { id title } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""
CREATE_CONTACT = """
mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }
"""
CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) { createCompany(input: $input) { company { id } } }
"""
ME = "{ me { ... on StaffUser { id } } }"


async def create_task(client: GraphQLClient, **input: Any) -> dict[str, Any]:
    payload = await client.mutate("createTask", CREATE, {"title": "Call back", **input})
    assert payload["errors"] == [], payload
    return payload["task"]


async def new_contact(client: GraphQLClient, last_name: str = "Bloggs") -> str:
    result = await client.execute(
        CREATE_CONTACT, {"input": {"firstName": "Joe", "lastName": last_name}}
    )
    return result.data["createContact"]["contact"]["id"]


async def new_company(client: GraphQLClient, name: str = "Acme") -> str:
    result = await client.execute(CREATE_COMPANY, {"input": {"name": name}})
    return result.data["createCompany"]["company"]["id"]


async def my_id(client: GraphQLClient) -> str:
    return (await client.execute(ME)).data["me"]["id"]


async def titles(client: GraphQLClient, **filter: Any) -> list[str]:
    result = await client.execute(TASKS, {"filter": filter})
    return [edge["node"]["title"] for edge in result.data["tasks"]["edges"]]
