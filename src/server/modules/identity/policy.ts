import { definePermissions } from '../../platform/access.ts';

export const identityPermissions = definePermissions({
  /** See accounts whose role assignments lie inside your scope (personal data masked). */
  'user.read': ['admin', 'district_operator'],
  /** Create accounts, grant and withdraw role assignments inside your scope, disable and unlock. */
  'user.manage': ['admin'],
  /** Show an account's full phone number, with a stated reason; audited. */
  'user.revealPersonalData': ['admin'],
});
