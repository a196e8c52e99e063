import { graphql } from "../gql";

export const SetPrimaryContact = graphql(`
  mutation SetPrimaryContact($input: SetPrimaryContactInput!) {
    setPrimaryContact(input: $input) {
      contact {
        id
        isPrimaryContact
      }
      company {
        id
        primaryContact {
          id
          fullName
        }
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const ArchiveContact = graphql(`
  mutation ArchiveContact($input: ContactIdInput!) {
    archiveContact(input: $input) {
      contact {
        id
        archived
        isPrimaryContact
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const RestoreContact = graphql(`
  mutation RestoreContact($input: ContactIdInput!) {
    restoreContact(input: $input) {
      contact {
        id
        archived
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const DeleteContact = graphql(`
  mutation DeleteContact($input: ContactIdInput!) {
    deleteContact(input: $input) {
      deletedId
      errors {
        field
        message
        code
      }
    }
  }
`);

export const DeleteCompany = graphql(`
  mutation DeleteCompany($input: CompanyIdInput!) {
    deleteCompany(input: $input) {
      deletedId
      errors {
        field
        message
        code
      }
    }
  }
`);
