import type { FunctionPorts } from '../ports.ts';
import type { ApiModule } from './routes.ts';
import { ports as org } from './org.ts';
import { ports as calendar } from './calendar.ts';
import { ports as allocations } from './allocations.ts';
import { ports as needs } from './needs.ts';
import { ports as projects } from './projects.ts';
import { ports as workflowActions } from './workflowActions.ts';
import { ports as publicity } from './publicity.ts';
import { ports as undertakers } from './undertakers.ts';
import { ports as yearEnd } from './yearEnd.ts';
import { ports as reports } from './reports.ts';
import { ports as contacts } from './contacts.ts';
import { ports as audit } from './audit.ts';
import { ports as openapi } from './openapi.ts';

/**
 * Each API module's own declaration, gathered for the API stack. The record is typed by
 * ApiModule, so a module added to the route table without a declaration does not compile.
 */
export const API_MODULE_PORTS: Record<ApiModule, FunctionPorts> = {
  org,
  calendar,
  allocations,
  needs,
  projects,
  workflowActions,
  publicity,
  undertakers,
  yearEnd,
  reports,
  contacts,
  audit,
  openapi,
};
