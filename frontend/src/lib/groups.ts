import { graphql } from "../gql";

/** Groups and segments: the mutations more than one screen uses. */

export const GroupOptions = graphql(`
  query GroupOptions($search: String) {
    groups(search: $search, first: 100) {
      totalCount
      edges {
        node {
          id
          name
          colour
          memberCount
        }
      }
    }
  }
`);

export const CreateGroup = graphql(`
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      group {
        id
        name
        description
        colour
        memberCount
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const UpdateGroup = graphql(`
  mutation UpdateGroup($input: UpdateGroupInput!) {
    updateGroup(input: $input) {
      group {
        id
        name
        description
        colour
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const DeleteGroup = graphql(`
  mutation DeleteGroup($input: GroupIdInput!) {
    deleteGroup(input: $input) {
      deletedId
      errors {
        field
        message
        code
      }
    }
  }
`);

export const AddContactsToGroup = graphql(`
  mutation AddContactsToGroup($input: GroupMembersInput!) {
    addContactsToGroup(input: $input) {
      changedCount
      group {
        id
        name
        memberCount
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const RemoveContactsFromGroup = graphql(`
  mutation RemoveContactsFromGroup($input: GroupMembersInput!) {
    removeContactsFromGroup(input: $input) {
      changedCount
      group {
        id
        name
        memberCount
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const CreateSegment = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) {
      segment {
        id
        name
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const UpdateSegment = graphql(`
  mutation UpdateSegment($input: UpdateSegmentInput!) {
    updateSegment(input: $input) {
      segment {
        id
        name
        search
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export const DeleteSegment = graphql(`
  mutation DeleteSegment($input: SegmentIdInput!) {
    deleteSegment(input: $input) {
      deletedId
      errors {
        field
        message
        code
      }
    }
  }
`);

/** Every field of a segment's saved filter, for chips and "Open in contacts list". */
export const SegmentFilterFields = graphql(`
  fragment SegmentFilterFields on SegmentFilter {
    type
    status
    portalStatus
    companyId
    groupId
    archived
    country
    city
    industry
    hasEmail
    consent {
      email
      sms
      phone
      post
    }
    createdAt {
      from
      to
    }
    lastContactedAt {
      from
      to
    }
    company {
      id
      name
    }
    group {
      id
      name
    }
  }
`);

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
