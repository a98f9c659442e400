import type { FindAccount } from 'oidc-provider';
import type { User, UserStore } from '../accounts/user-store.ts';

/**
 * Logto's scopes and the claims each one releases (ID token and userinfo alike).
 * oidc-provider turns the keys into supported scopes and filters claims by granted scope.
 */
export const claimsByScope = {
  openid: ['sub'],
  profile: ['name', 'picture', 'username', 'created_at', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  custom_data: ['custom_data'],
  identities: ['identities'],
  roles: ['roles'],
  'urn:logto:scope:organizations': ['organizations'],
  'urn:logto:scope:organization_roles': ['organization_roles'],
};

/** Logto sends absent profile fields as null (the SDK's ID-token guard expects string | null). */
export function userClaims(user: User): Record<string, unknown> {
  return {
    sub: user.id,
    name: user.name,
    picture: user.avatar,
    username: user.username,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    email: user.primaryEmail,
    email_verified: true,
    phone_number: null,
    phone_number_verified: false,
    custom_data: {},
    identities: {},
    roles: [],
    organizations: [],
    organization_roles: [],
  };
}

/** The account model: an unknown subject (deleted user) makes every grant for it fail. */
export function createFindAccount(users: UserStore): FindAccount {
  return async (_ctx, sub) => {
    const user = users.findById(sub);
    if (!user) {
      return undefined;
    }
    return {
      accountId: user.id,
      async claims() {
        return userClaims(user) as { sub: string };
      },
    };
  };
}
