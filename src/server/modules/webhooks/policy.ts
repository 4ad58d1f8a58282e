import { definePermissions } from '../../platform/access.ts';

/** Webhooks carry every event of a region to another system: administrators decide where. */
export const webhookPermissions = definePermissions({ 'webhook.manage': ['admin'] });
