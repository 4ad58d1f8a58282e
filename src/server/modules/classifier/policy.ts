import { ROLES } from '../../../shared/roles.ts';
import { definePermissions } from '../../platform/access.ts';

export const classifierPermissions = definePermissions({
  /** Everyone, residents included: residents pick a category when they report (they get only the ones they may choose). */
  'classifier.suggest': ROLES,
  /** Teaching the classifier a confirmed or corrected category: the people who register and dispatch cases. */
  'classifier.train': ['street_dispatcher', 'district_operator', 'committee_head', 'admin'],
  /** What the classifier knows and how well it does. */
  'classifier.stats': ['admin', 'district_operator'],
});
