import { DEFAULT_COVERAGE_NORMS } from '../../../shared/coverage.ts';
import { definePermissions } from '../../platform/access.ts';
import { defineModule } from '../../platform/module.ts';
import { seedNorms } from './repository.ts';
import { coverageRoutes } from './routes.ts';

export const coveragePermissions = definePermissions({
  /** The coverage page: the operations centre, streets, committees and the device maintainers, in their scope. */
  'coverage.read': ['social_worker', 'committee_head', 'street_dispatcher', 'district_operator', 'data_steward', 'device_maintainer', 'admin'],
  /** Setting the norms: the district (and streets, committees inside their scope through the operators' accounts). */
  'coverage.manage': ['district_operator', 'admin'],
});

/**
 * IoT coverage and use (issue #4 item 9): devices against norms per committee and building, online
 * rate, blind spots and the application rate (alarms that became handled cases).
 */
export const coverageModule = defineModule({
  name: 'coverage',
  permissions: coveragePermissions,
  routes: coverageRoutes,
  seed: (platform) => seedNorms(platform.db, platform.config.rootRegionCode, DEFAULT_COVERAGE_NORMS),
});
