/* Generated from openapi.json by `npm run openapi` (openapi-typescript); do not edit. */

export interface paths {
    "/v1/org": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisation tree
         * @description Roles: district, street, community, auditor, undertaker.
         */
        get: operations["getOrg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/org": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisation tree, for residents
         * @description Public: no token.
         */
        get: operations["getPublicOrg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The active policy profile
         * @description Public: no token.
         */
        get: operations["getPublicPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendar/{year}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A year’s holiday calendar
         * @description Roles: district, street, community, auditor, undertaker.
         */
        get: operations["getCalendarYear"];
        /**
         * Load a year’s holiday notice
         * @description Roles: district.
         */
        put: operations["putCalendarYear"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/allocations/{year}/{communityId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A community’s allocation
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getAllocationsYearCommunityId"];
        /**
         * Set a community’s allocation
         * @description Roles: district. The sources must add up to the amount (422); the allocation never drops below what is reserved (409).
         */
        put: operations["putAllocationsYearCommunityId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/allocations/{year}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The allocations of a year, per community
         * @description Roles: district, street, auditor.
         */
        get: operations["getAllocationsYear"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/communities/{communityId}/needs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A community’s needs list
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getCommunitiesCommunityIdNeeds"];
        put?: never;
        /**
         * Record a need raised offline
         * @description Roles: community.
         */
        post: operations["postCommunitiesCommunityIdNeeds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/communities/{communityId}/needs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A resident raises a need
         * @description Public: no token. Rate-limited per client and per community (429).
         */
        post: operations["postPublicCommunitiesCommunityIdNeeds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List projects in scope
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getProjects"];
        put?: never;
        /**
         * Create a DRAFT project
         * @description Roles: community.
         */
        post: operations["postProjects"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A project with its deadlines, tranches and objections
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getProjectsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Edit a DRAFT or RETURNED project
         * @description Roles: community.
         */
        patch: operations["patchProjectsId"];
        trace?: never;
    };
    "/v1/projects/{id}/objections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page of a project's objections, with their resolutions
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getProjectsIdObjections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every event of a project
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getProjectsIdHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/dossier": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The one-project file
         * @description Roles: district, street, community, auditor.
         */
        get: operations["getProjectsIdDossier"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/deliberations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a deliberation
         * @description Roles: community, street, district. The step must be one of the profile’s procedure; it is recorded by the level that holds it (the district for a district committee), others get 403.
         */
        post: operations["postProjectsIdDeliberations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a project for review
         * @description Roles: community. Refused (409) while the profile’s deliberations required before submission are missing or not passed.
         */
        post: operations["postProjectsIdSubmit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Review a project: pass to publicity or return
         * @description Roles: street, district. The street reviews, or the district where the profile says so. Passing opens the publicity window.
         */
        post: operations["postProjectsIdReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/objections/{objectionId}/resolution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an objection
         * @description Roles: street, district. In OBJECTION_REVIEW, by the reviewer. Any upheld objection returns the project; all dismissed move it to AWAITING_APPROVAL.
         */
        post: operations["postProjectsIdObjectionsObjectionIdResolution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject a project
         * @description Roles: street, district, community. The profile’s approver (the community itself on its fast path). Approval reserves the amount from the allocation: 409 when it does not fit.
         */
        post: operations["postProjectsIdApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/contract": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record the undertaker contract
         * @description Roles: community. Outsourced projects only; 409 for a disqualified undertaker.
         */
        post: operations["postProjectsIdContract"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report progress
         * @description Roles: community.
         */
        post: operations["postProjectsIdProgress"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/tranches/{n}/acceptance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept a stage and pay its tranche
         * @description Roles: street. Stages are accepted in order; a passed stage pays its tranche (the profile’s split).
         */
        post: operations["postProjectsIdTranchesNAcceptance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/change-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask to change an approved project
         * @description Roles: community.
         */
        post: operations["postProjectsIdChangeRequests"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide a change request
         * @description Roles: district.
         */
        post: operations["postChangeRequestsIdDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a project before approval
         * @description Roles: community.
         */
        post: operations["postProjectsIdWithdraw"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/publicity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Projects in publicity
         * @description Public: no token.
         */
        get: operations["getPublicPublicity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/projects/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A project, for residents
         * @description Public: no token.
         */
        get: operations["getPublicProjectsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Completed projects, for residents
         * @description Public: no token.
         */
        get: operations["getPublicCompletions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/projects/{id}/objections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Raise an objection during publicity
         * @description Public: no token. 409 outside the publicity window; rate-limited per client and per project (429).
         */
        post: operations["postPublicProjectsIdObjections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/undertakers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The undertakers register
         * @description Roles: district, street, auditor.
         */
        get: operations["getUndertakers"];
        put?: never;
        /**
         * Register an undertaker
         * @description Roles: district, street.
         */
        post: operations["postUndertakers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/undertakers/{id}/disqualifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disqualify an undertaker for a year
         * @description Roles: district.
         */
        post: operations["postUndertakersIdDisqualifications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/year-end/{year}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The year-end report
         * @description Roles: district, auditor.
         */
        get: operations["getYearEndYear"];
        put?: never;
        /**
         * Run the year-end check
         * @description Roles: district. From 31 December of that year on (409 before); safe to run twice.
         */
        post: operations["postYearEndYear"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The year’s summary
         * @description Roles: district, street, auditor.
         */
        get: operations["getReportsSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The three lists (needs, resources, services)
         * @description Roles: district, street, community, auditor. Send `Accept: text/csv` for one CSV file.
         */
        get: operations["getReportsLists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/public/lists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The three lists, for residents
         * @description Public: no token.
         */
        get: operations["getPublicLists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail of a day
         * @description Roles: auditor, district.
         */
        get: operations["getAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This OpenAPI document
         * @description Public: no token.
         */
        get: operations["getOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/contact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Where my reminders go
         * @description Roles: district, street, community, auditor, undertaker.
         */
        put: operations["putMeContact"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            instance?: string;
            errors?: {
                path: string;
                message: string;
            }[];
            /** @enum {string} */
            currentStatus?: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            availableFen?: number;
            requiredFen?: number;
            reservedFen?: number;
            paidFen?: number;
            missingSteps?: string[];
            batches?: unknown;
            resolution?: {
                upheld: boolean;
                reply: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            };
            nextTranche?: number | null;
            undertakerId?: string;
            disqualification?: {
                year: number;
                reason: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            };
            decision?: {
                approve: boolean;
                comment: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            };
            existingId?: string;
            /** Format: date-time */
            opensAt?: string;
            publicityEndsAt?: string | null;
            rule?: string;
            code?: string;
        };
        ProjectView: {
            id: string;
            communityId: string;
            streetId: string;
            year: number;
            /** @example 老旧小区路灯维修 */
            title: string;
            /**
             * @description A category id of the policy profile
             * @example property_service
             */
            category: string;
            /** @enum {string} */
            type: "service" | "goods" | "works";
            amountFen: number;
            cofunding: {
                source: string;
                amountFen: number;
            }[];
            /** @enum {string} */
            delivery: "self" | "social_org" | "enterprise" | "individual";
            undertakerId?: string;
            /** @example 更换小区内20盏损坏路灯，增设2盏太阳能灯 */
            measures: string;
            /** Format: date */
            plannedEnd: string;
            needIds: string[];
            restrictedUse?: {
                rule: string;
                justification: string;
            };
            /** @enum {string} */
            status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            createdBy: components["schemas"]["Actor"];
            deadlines: components["schemas"]["Deadlines"];
            publicityRound?: number;
            /** Format: date-time */
            publicityOpenedAt?: string;
            batch?: string;
            /** Format: date-time */
            approvedAt?: string;
            /** Format: date-time */
            completedAt?: string;
            deliberations: components["schemas"]["Deliberation"][];
            objections?: components["schemas"]["Objection"][];
            objectionsNextToken?: string;
            tranches: components["schemas"]["Tranche"][];
            contract?: {
                undertakerId: string;
                /** Format: date */
                signedOn: string;
                amountFen: number;
                /** Format: date-time */
                recordedAt: string;
            };
            progress: {
                id?: string;
                /** Format: date-time */
                at: string;
                percent: number;
                note: string;
                by: components["schemas"]["Actor"];
            }[];
            escalation?: {
                /** @enum {string} */
                status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
                level: number;
                nextDueAt: string | null;
            };
            warnings?: string[];
            remindersSent?: {
                [key: string]: string;
            };
        };
        ProjectSummary: {
            id: string;
            communityId: string;
            streetId: string;
            year: number;
            /** @example 老旧小区路灯维修 */
            title: string;
            /**
             * @description A category id of the policy profile
             * @example property_service
             */
            category: string;
            /** @enum {string} */
            type: "service" | "goods" | "works";
            amountFen: number;
            /** @enum {string} */
            delivery: "self" | "social_org" | "enterprise" | "individual";
            /** Format: date */
            plannedEnd: string;
            /** @enum {string} */
            status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            deadlines: components["schemas"]["Deadlines"];
            /** Format: date-time */
            publicityOpenedAt?: string;
            /** Format: date-time */
            createdAt: string;
        };
        PublicProjectSummary: {
            id: string;
            communityId: string;
            streetId: string;
            year: number;
            /** @example 老旧小区路灯维修 */
            title: string;
            /**
             * @description A category id of the policy profile
             * @example property_service
             */
            category: string;
            /** @enum {string} */
            type: "service" | "goods" | "works";
            amountFen: number;
            /** @enum {string} */
            delivery: "self" | "social_org" | "enterprise" | "individual";
            /** Format: date */
            plannedEnd: string;
            /** @enum {string} */
            status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            deadlines: components["schemas"]["Deadlines"];
            /** Format: date-time */
            publicityOpenedAt?: string;
            /** Format: date-time */
            publicityEndsAt?: string;
            objectionCount: number;
        };
        HistoryEvent: {
            /** Format: date-time */
            at: string;
            actor: components["schemas"]["Actor"];
            action: string;
            fromStatus: ("DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED") | null;
            toStatus: ("DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED") | null;
            details?: {
                [key: string]: unknown;
            };
        };
        Deliberation: {
            id: string;
            step: string;
            /** Format: date */
            heldOn: string;
            body: string;
            attendance: number;
            votesFor: number;
            votesAgainst: number;
            abstentions: number;
            minutes: string;
            memberVotes?: {
                member: string;
                /** @enum {string} */
                vote: "for" | "against" | "abstain";
            }[];
            passed: boolean;
            /** Format: date-time */
            recordedAt: string;
            recordedBy: components["schemas"]["Actor"];
        };
        Objection: {
            id: string;
            content: string;
            /** Format: date-time */
            receivedAt: string;
            hasContact: boolean;
            round: number;
            resolution?: {
                upheld: boolean;
                reply: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            };
        };
        Tranche: {
            n: number;
            amountFen: number;
            paidFen: number;
            /** Format: date-time */
            acceptedAt?: string;
            attempts: {
                id?: string;
                /** Format: date-time */
                at: string;
                passed: boolean;
                comment: string;
                satisfaction?: number;
                by: components["schemas"]["Actor"];
            }[];
        };
        Deadlines: {
            /** Format: date-time */
            reviewDueAt?: string;
            /** Format: date-time */
            publicityEndsAt?: string;
            /** Format: date-time */
            objectionReviewDueAt?: string;
            /** Format: date-time */
            approvalDueAt?: string;
            /** Format: date-time */
            startDueAt?: string;
            /** Format: date-time */
            completionDueAt?: string;
            /** Format: date-time */
            completionPublicityEndsAt?: string;
        };
        Actor: {
            sub: string;
            role: string;
            orgUnitId?: string;
        };
        AllocationView: {
            year: number;
            communityId: string;
            streetId: string;
            amountFen: number;
            reservedFen: number;
            paidFen: number;
            availableFen: number;
            sources: {
                funder: string;
                amountFen: number;
            }[];
            /** Format: date-time */
            updatedAt: string;
            warnings?: string[];
        };
        UndertakerView: {
            id: string;
            name: string;
            /** @enum {string} */
            kind: "social_org" | "enterprise" | "individual";
            creditCode: string;
            /** Format: date-time */
            registeredAt: string;
            disqualifications: {
                year: number;
                reason: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            }[];
        };
        ChangeRequest: {
            id: string;
            projectId: string;
            communityId: string;
            streetId: string;
            year: number;
            amountFen?: number;
            /** Format: date */
            plannedEnd?: string;
            reason: string;
            previousAmountFen: number;
            /** Format: date */
            previousPlannedEnd: string;
            /** @enum {string} */
            status: "PENDING" | "APPROVED" | "REJECTED";
            /** Format: date-time */
            requestedAt: string;
            requestedBy: components["schemas"]["Actor"];
            decision?: {
                approve: boolean;
                comment: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            };
        };
        YearEndReport: {
            year: number;
            communities: {
                communityId: string;
                streetId: string;
                allocatedFen: number;
                reservedFen: number;
                paidFen: number;
                carriedOverFen: number;
                surplusFen: number;
            }[];
            failedProjects: {
                id: string;
                title: string;
                communityId: string;
            }[];
            lapsed: {
                id: string;
                title: string;
                communityId: string;
                /** @enum {string} */
                status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            }[];
            unfinished: {
                id: string;
                title: string;
                communityId: string;
                /** @enum {string} */
                status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            }[];
            sanctions: {
                undertakers: {
                    undertakerId: string;
                    reason: string;
                    projectIds: string[];
                    disqualifiedYears: number[];
                }[];
                communities: {
                    communityId: string;
                    cutPercent: number;
                    reason: string;
                    projectIds: string[];
                    appliesToYear: number;
                }[];
            };
            totals: {
                allocatedFen: number;
                reservedFen: number;
                paidFen: number;
                carriedOverFen: number;
                surplusFen: number;
            };
            /** Format: date-time */
            ranAt: string;
        };
        Lists: {
            year: number;
            communityId: string;
            resources: ({
                /** @constant */
                kind: "allocation";
                amountFen: number;
                reservedFen: number;
                paidFen: number;
                availableFen: number;
            } | {
                /** @constant */
                kind: "source";
                funder: string;
                amountFen: number;
            } | {
                /** @constant */
                kind: "cofunding";
                projectId: string;
                source: string;
                amountFen: number;
            } | {
                /** @constant */
                kind: "undertaker";
                undertakerId: string;
                name: string;
                undertakerKind: string;
                projectIds: string[];
            })[];
            services: {
                id: string;
                title: string;
                category: string;
                /** @enum {string} */
                type: "service" | "goods" | "works";
                /** @enum {string} */
                delivery: "self" | "social_org" | "enterprise" | "individual";
                undertakerId: string | null;
                amountFen: number;
                cofundingFen: number;
                paidFen: number;
                /** @enum {string} */
                status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
                /** Format: date */
                plannedEnd: string;
            }[];
            needs: {
                id: string;
                title: string;
                channel: string;
                /** Format: date-time */
                raisedAt: string;
                description: string;
            }[];
        };
        GetOrgResponse: {
            district: {
                id: string;
                name: string;
                dutyContact?: {
                    phone?: string;
                    /** Format: email */
                    email?: string;
                };
            };
            streets: {
                id: string;
                name: string;
                dutyContact?: {
                    phone?: string;
                    /** Format: email */
                    email?: string;
                };
                communities: {
                    id: string;
                    name: string;
                    /** @enum {string} */
                    kind: "urban" | "village" | "village_to_residence";
                    dutyContact?: {
                        phone?: string;
                        /** Format: email */
                        email?: string;
                    };
                }[];
            }[];
        };
        GetPublicOrgResponse: {
            district: {
                id: string;
                name: string;
            };
            streets: {
                id: string;
                name: string;
                communities: {
                    id: string;
                    name: string;
                    /** @enum {string} */
                    kind: "urban" | "village" | "village_to_residence";
                }[];
            }[];
        };
        GetPublicPolicyResponse: {
            id: string;
            name: string;
            district: string;
            source?: string;
            fieldSources?: {
                [key: string]: string;
            };
            allocation: {
                /** @enum {string} */
                mode: "per_community" | "district_pool";
                minimumFen: {
                    urban?: number;
                    village_to_residence?: number;
                    village?: number;
                };
                poolMinimumFen?: number;
                growthRule?: string;
                source?: string;
            };
            funders: {
                id: string;
                name: string;
                sharePercent: number;
                source?: string;
            }[];
            categories: {
                id: string;
                name: string;
                description?: string;
                items?: {
                    id: string;
                    name: string;
                }[];
                source?: string;
            }[];
            restrictedUses: {
                rule: string;
                text: string;
                categoryIds: string[];
                condition: string;
                source?: string;
            }[];
            notEncouragedUses: {
                rule: string;
                text: string;
                keywords: string[];
                source?: string;
            }[];
            prohibitedUses: {
                rule: string;
                text: string;
                keywords: string[];
                source?: string;
            }[];
            deliberation: {
                name: string;
                note?: string;
                source?: string;
                steps: {
                    id: string;
                    name: string;
                    /** @enum {string} */
                    heldBy: "community" | "street" | "district";
                    /** @enum {string} */
                    requiredBefore: "submit" | "approval" | "implementation";
                    /** @enum {string} */
                    passRule: "majority_of_cast" | "majority_of_attendance" | "two_thirds_of_attendance" | "none";
                    perMemberVotes?: boolean;
                    source?: string;
                }[];
                publicities: {
                    id: string;
                    name: string;
                    source?: string;
                }[];
            };
            review: {
                /** @enum {string} */
                by: "street" | "district";
                source?: string;
            };
            approval: {
                /** @enum {string} */
                by: "street" | "district";
                source?: string;
            };
            publicityDays: number;
            completionPublicityDays: number;
            approvalWorkingDays: number;
            fastPath: {
                maxFen: number;
                /** @constant */
                approver: "community";
                source?: string;
            } | null;
            projectTypes: {
                /** @enum {string} */
                id: "service" | "goods" | "works";
                name: string;
                deadline: {
                    /** @enum {string} */
                    kind: "start" | "completion";
                    months: number;
                } | null;
                source?: string;
            }[];
            trancheSplit: number[];
            yearEnd: {
                checkOn: string;
                unfinishedFails: boolean;
                surplusReturn: string;
                source?: string;
            };
            sanctions: {
                undertakerDisqualifyYears: number;
                communityCutPercent: number;
                rules: {
                    rule: string;
                    text: string;
                    source?: string;
                }[];
            };
            batches: {
                id: string;
                name: string;
                callOpens: string;
                callCloses: string;
                source?: string;
            }[] | null;
            reminders: {
                beforeWorkingDays: number[];
                templates: {
                    [key: string]: {
                        sms: string;
                        email: {
                            subject: string;
                            body: string;
                        };
                    };
                };
            };
        };
        GetCalendarYearResponse: {
            year: number;
            holidays: string[];
            workdays: string[];
            source: string;
        };
        GetAllocationsYearResponse: {
            year: number;
            streetId: string | null;
            items: components["schemas"]["AllocationView"][];
        };
        PostCommunitiesCommunityIdNeedsResponse: {
            id: string;
            communityId: string;
            year: number;
            title: string;
            description: string;
            channel: string;
            /** Format: date-time */
            raisedAt: string;
            raisedBy: string;
            hasContact: boolean;
        };
        GetCommunitiesCommunityIdNeedsResponse: {
            items: components["schemas"]["PostCommunitiesCommunityIdNeedsResponse"][];
            nextToken?: string;
        };
        PostPublicCommunitiesCommunityIdNeedsResponse: {
            id: string;
            receipt: string;
            communityId: string;
            /** Format: date-time */
            raisedAt: string;
        };
        GetProjectsResponse: {
            items: components["schemas"]["ProjectSummary"][];
            nextToken?: string;
        };
        GetProjectsIdObjectionsResponse: {
            items: components["schemas"]["Objection"][];
            nextToken?: string;
        };
        GetProjectsIdHistoryResponse: {
            projectId: string;
            items: components["schemas"]["HistoryEvent"][];
        };
        GetProjectsIdDossierResponse: {
            project: components["schemas"]["ProjectView"];
            deliberations: components["schemas"]["Deliberation"][];
            publicity: components["schemas"]["HistoryEvent"][];
            objections: components["schemas"]["Objection"][];
            objectionsNextToken?: string;
            approvals: components["schemas"]["HistoryEvent"][];
            contract: {
                undertakerId: string;
                /** Format: date */
                signedOn: string;
                amountFen: number;
                /** Format: date-time */
                recordedAt: string;
            } | null;
            progress: {
                id?: string;
                /** Format: date-time */
                at: string;
                percent: number;
                note: string;
                by: components["schemas"]["Actor"];
            }[];
            acceptances: {
                n: number;
                id?: string;
                /** Format: date-time */
                at: string;
                passed: boolean;
                comment: string;
                satisfaction?: number;
                by: components["schemas"]["Actor"];
            }[];
            payments: {
                n: number;
                amountFen: number;
                /** Format: date-time */
                paidAt?: string;
            }[];
            changes: components["schemas"]["HistoryEvent"][];
            history: components["schemas"]["HistoryEvent"][];
        };
        PostProjectsIdDeliberationsResponse: {
            id: string;
            step: string;
            /** Format: date */
            heldOn: string;
            body: string;
            attendance: number;
            votesFor: number;
            votesAgainst: number;
            abstentions: number;
            minutes: string;
            memberVotes?: {
                member: string;
                /** @enum {string} */
                vote: "for" | "against" | "abstain";
            }[];
            passed: boolean;
            /** Format: date-time */
            recordedAt: string;
            recordedBy: components["schemas"]["Actor"];
            /** @enum {string} */
            projectStatus: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
        };
        PostProjectsIdProgressResponse: {
            id?: string;
            /** Format: date-time */
            at: string;
            percent: number;
            note: string;
            by: components["schemas"]["Actor"];
            project: components["schemas"]["ProjectView"];
        };
        PostChangeRequestsIdDecisionResponse: {
            id: string;
            projectId: string;
            communityId: string;
            streetId: string;
            year: number;
            amountFen?: number;
            /** Format: date */
            plannedEnd?: string;
            reason: string;
            previousAmountFen: number;
            /** Format: date */
            previousPlannedEnd: string;
            /** @enum {string} */
            status: "PENDING" | "APPROVED" | "REJECTED";
            /** Format: date-time */
            requestedAt: string;
            requestedBy: components["schemas"]["Actor"];
            decision?: {
                approve: boolean;
                comment: string;
                /** Format: date-time */
                at: string;
                by: components["schemas"]["Actor"];
            };
            project?: components["schemas"]["ProjectView"];
        };
        GetPublicPublicityResponse: {
            communityId: string;
            items: components["schemas"]["PublicProjectSummary"][];
            /** Format: date-time */
            asOf: string;
        };
        GetPublicProjectsIdResponse: {
            id: string;
            communityId: string;
            streetId: string;
            year: number;
            /** @example 老旧小区路灯维修 */
            title: string;
            /**
             * @description A category id of the policy profile
             * @example property_service
             */
            category: string;
            /** @enum {string} */
            type: "service" | "goods" | "works";
            amountFen: number;
            cofunding: {
                source: string;
                amountFen: number;
            }[];
            /** @enum {string} */
            delivery: "self" | "social_org" | "enterprise" | "individual";
            undertakerId?: string;
            /** @example 更换小区内20盏损坏路灯，增设2盏太阳能灯 */
            measures: string;
            /** Format: date */
            plannedEnd: string;
            /** @enum {string} */
            status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
            deadlines: components["schemas"]["Deadlines"];
            /** Format: date-time */
            publicityEndsAt?: string;
            objectionCount: number;
            deliberations: {
                step: string;
                /** Format: date */
                heldOn: string;
                body: string;
                attendance: number;
                votesFor: number;
                votesAgainst: number;
                abstentions: number;
                passed: boolean;
            }[];
            history: {
                /** Format: date-time */
                at: string;
                action: string;
                fromStatus: ("DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED") | null;
                toStatus: ("DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED") | null;
            }[];
            undertaker: {
                id: string;
                name: string;
                /** @enum {string} */
                kind: "social_org" | "enterprise" | "individual";
            } | null;
            /** Format: date-time */
            asOf: string;
        };
        GetPublicCompletionsResponse: {
            communityId: string;
            /** Format: date-time */
            asOf: string;
            items: {
                id: string;
                communityId: string;
                streetId: string;
                year: number;
                /** @example 老旧小区路灯维修 */
                title: string;
                /**
                 * @description A category id of the policy profile
                 * @example property_service
                 */
                category: string;
                /** @enum {string} */
                type: "service" | "goods" | "works";
                amountFen: number;
                cofunding: {
                    source: string;
                    amountFen: number;
                }[];
                /** @enum {string} */
                delivery: "self" | "social_org" | "enterprise" | "individual";
                undertakerId?: string;
                /** @example 更换小区内20盏损坏路灯，增设2盏太阳能灯 */
                measures: string;
                /** Format: date */
                plannedEnd: string;
                /** @enum {string} */
                status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
                deadlines: components["schemas"]["Deadlines"];
                /** Format: date-time */
                publicityEndsAt?: string;
                objectionCount: number;
                deliberations: {
                    step: string;
                    /** Format: date */
                    heldOn: string;
                    body: string;
                    attendance: number;
                    votesFor: number;
                    votesAgainst: number;
                    abstentions: number;
                    passed: boolean;
                }[];
                history: {
                    /** Format: date-time */
                    at: string;
                    action: string;
                    fromStatus: ("DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED") | null;
                    toStatus: ("DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED") | null;
                }[];
                paidFen: number;
                acceptances: {
                    n: number;
                    /** Format: date-time */
                    acceptedAt: string;
                    satisfaction?: number;
                }[];
            }[];
        };
        PostPublicProjectsIdObjectionsResponse: {
            id: string;
            receipt: string;
            projectId: string;
            /** Format: date-time */
            receivedAt: string;
            /** Format: date-time */
            publicityEndsAt: string;
        };
        GetUndertakersResponse: {
            items: components["schemas"]["UndertakerView"][];
            nextToken?: string;
        };
        GetReportsSummaryResponse: {
            year: number;
            streetId: string | null;
            needs: number;
            proposed: number;
            approved: number;
            completed: number;
            failed: number;
            allocatedFen: number;
            reservedFen: number;
            paidFen: number;
            availableFen: number;
        };
        GetPublicListsResponse: {
            year: number;
            communityId: string;
            resources: ({
                /** @constant */
                kind: "allocation";
                amountFen: number;
                reservedFen: number;
                paidFen: number;
                availableFen: number;
            } | {
                /** @constant */
                kind: "source";
                funder: string;
                amountFen: number;
            } | {
                /** @constant */
                kind: "cofunding";
                projectId: string;
                source: string;
                amountFen: number;
            } | {
                /** @constant */
                kind: "undertaker";
                undertakerId: string;
                name: string;
                undertakerKind: string;
                projectIds: string[];
            })[];
            services: {
                id: string;
                title: string;
                category: string;
                /** @enum {string} */
                type: "service" | "goods" | "works";
                /** @enum {string} */
                delivery: "self" | "social_org" | "enterprise" | "individual";
                undertakerId: string | null;
                amountFen: number;
                cofundingFen: number;
                paidFen: number;
                /** @enum {string} */
                status: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
                /** Format: date */
                plannedEnd: string;
            }[];
            needs: {
                id: string;
                title: string;
                channel: string;
                /** Format: date-time */
                raisedAt: string;
            }[];
            /** Format: date-time */
            asOf: string;
        };
        GetAuditResponse: {
            /** Format: date */
            date: string;
            items: {
                id: string;
                /** Format: date-time */
                at: string;
                actor: {
                    sub: string;
                    role: string;
                    orgUnitId: string;
                };
                route: string;
                path: string;
                status: number;
                sourceIp: string;
                requestId?: string;
                idempotencyKey?: string;
            }[];
            nextToken?: string;
        };
        GetOpenapiJsonResponse: {
            [key: string]: unknown;
        };
        PutMeContactResponse: {
            sub: string;
            role: string;
            orgUnitId: string;
            phone?: string;
            email?: string;
            /** Format: date-time */
            updatedAt: string;
        };
        PutCalendarYearBody: {
            holidays: string[];
            workdays: string[];
            source: string;
            year?: number;
        };
        PutAllocationsYearCommunityIdBody: {
            amountFen: number;
            sources: {
                funder: string;
                amountFen: number;
            }[];
        };
        PostCommunitiesCommunityIdNeedsBody: {
            title: string;
            description: string;
            /** @enum {string} */
            channel: "visit" | "walk_in" | "survey" | "suggestion_box" | "wechat" | "meeting" | "hotline";
            year?: number;
        };
        PostPublicCommunitiesCommunityIdNeedsBody: {
            title: string;
            description: string;
            contact?: string;
        };
        PostProjectsBody: {
            communityId: string;
            year: number;
            title: string;
            category: string;
            /** @enum {string} */
            type: "service" | "goods" | "works";
            amountFen: number;
            /** @default [] */
            cofunding?: {
                source: string;
                amountFen: number;
            }[];
            /** @enum {string} */
            delivery: "self" | "social_org" | "enterprise" | "individual";
            undertakerId?: string;
            measures: string;
            plannedEnd: string;
            /** @default [] */
            needIds?: string[];
            restrictedUse?: {
                rule: string;
                justification: string;
            };
        };
        PatchProjectsIdBody: {
            title?: string;
            category?: string;
            /** @enum {string} */
            type?: "service" | "goods" | "works";
            amountFen?: number;
            cofunding?: {
                source: string;
                amountFen: number;
            }[];
            /** @enum {string} */
            delivery?: "self" | "social_org" | "enterprise" | "individual";
            undertakerId?: string;
            measures?: string;
            plannedEnd?: string;
            needIds?: string[];
            restrictedUse?: {
                rule: string;
                justification: string;
            };
        };
        PostProjectsIdDeliberationsBody: {
            step: string;
            heldOn: string;
            body: string;
            attendance: number;
            votesFor: number;
            votesAgainst: number;
            abstentions: number;
            minutes: string;
            memberVotes?: {
                member: string;
                /** @enum {string} */
                vote: "for" | "against" | "abstain";
            }[];
        };
        PostProjectsIdReviewBody: {
            /** @enum {string} */
            decision: "pass" | "return";
            comment: string;
        };
        PostProjectsIdObjectionsObjectionIdResolutionBody: {
            upheld: boolean;
            reply: string;
        };
        PostProjectsIdApprovalBody: {
            /** @enum {string} */
            decision: "approve" | "reject";
            comment: string;
        };
        PostProjectsIdContractBody: {
            undertakerId: string;
            signedOn: string;
            amountFen: number;
        };
        PostProjectsIdProgressBody: {
            percent: number;
            note: string;
        };
        PostProjectsIdTranchesNAcceptanceBody: {
            passed: boolean;
            comment: string;
            satisfaction?: number;
        };
        PostProjectsIdChangeRequestsBody: {
            amountFen?: number;
            plannedEnd?: string;
            reason: string;
        };
        PostChangeRequestsIdDecisionBody: {
            approve: boolean;
            comment: string;
        };
        PostProjectsIdWithdrawBody: {
            reason: string;
        };
        PostPublicProjectsIdObjectionsBody: {
            content: string;
            contact?: string;
        };
        PostUndertakersBody: {
            name: string;
            /** @enum {string} */
            kind: "social_org" | "enterprise" | "individual";
            creditCode: string;
        };
        PostUndertakersIdDisqualificationsBody: {
            year: number;
            reason: string;
        };
        PutMeContactBody: {
            phone?: string;
            /** Format: email */
            email?: string;
        };
    };
    responses: {
        /** @description Malformed: not JSON, an unknown field, a field that breaks its rule (named in `errors`), or a malformed percent-encoding in the path */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No token, or a token that is not valid */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Your unit but not your role, or a step that is not yours */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unknown, or another unit’s (its existence is not revealed) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Wrong state, or a limit would be broken (budget, window closed, disqualified undertaker, Idempotency-Key in use) */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is larger than 64 KB */
        ContentTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Valid JSON that breaks a rule (prohibited use, sources that do not sum, an Idempotency-Key reused with another body) */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many public writes from this client or to this target */
        TooManyRequests: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOrg: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation tree; the units’ duty contacts are shown to the district only */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetOrgResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    getPublicOrg: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation tree without contacts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPublicOrgResponse"];
                };
            };
        };
    };
    getPublicPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The active policy profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPublicPolicyResponse"];
                };
            };
        };
    };
    getCalendarYear: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description That year’s holiday calendar */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetCalendarYearResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    putCalendarYear: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "holidays": [
                 *         "2027-01-01",
                 *         "2027-02-06",
                 *         "2027-02-07"
                 *       ],
                 *       "workdays": [
                 *         "2027-02-14"
                 *       ],
                 *       "source": "国务院办公厅关于2027年部分节假日安排的通知"
                 *     }
                 */
                "application/json": components["schemas"]["PutCalendarYearBody"];
            };
        };
        responses: {
            /** @description The calendar as stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetCalendarYearResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getAllocationsYearCommunityId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                year: number;
                communityId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The allocation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AllocationView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    putAllocationsYearCommunityId: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                year: number;
                communityId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "amountFen": 20000000,
                 *       "sources": [
                 *         {
                 *           "funder": "区财政",
                 *           "amountFen": 16000000
                 *         },
                 *         {
                 *           "funder": "街道",
                 *           "amountFen": 4000000
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PutAllocationsYearCommunityIdBody"];
            };
        };
        responses: {
            /** @description The allocation, with warnings where it falls short of the policy’s floor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AllocationView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getAllocationsYear: {
        parameters: {
            query?: {
                streetId?: string;
            };
            header?: never;
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The allocations per community */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetAllocationsYearResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getCommunitiesCommunityIdNeeds: {
        parameters: {
            query?: {
                year?: number;
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                communityId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the needs list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetCommunitiesCommunityIdNeedsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    postCommunitiesCommunityIdNeeds: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                communityId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "小区路灯不亮",
                 *       "description": "3栋到5栋之间的路灯坏了半个月，晚上出行不安全",
                 *       "channel": "visit"
                 *     }
                 */
                "application/json": components["schemas"]["PostCommunitiesCommunityIdNeedsBody"];
            };
        };
        responses: {
            /** @description The need as recorded */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostCommunitiesCommunityIdNeedsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postPublicCommunitiesCommunityIdNeeds: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                communityId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "增设老年人休息座椅",
                 *       "description": "小区广场没有座椅，老人散步后无处休息",
                 *       "contact": "13800138000"
                 *     }
                 */
                "application/json": components["schemas"]["PostPublicCommunitiesCommunityIdNeedsBody"];
            };
        };
        responses: {
            /** @description The receipt of the need */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostPublicCommunitiesCommunityIdNeedsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getProjects: {
        parameters: {
            query?: {
                communityId?: string;
                streetId?: string;
                year?: number;
                status?: "DRAFT" | "UNDER_REVIEW" | "RETURNED" | "IN_PUBLICITY" | "OBJECTION_REVIEW" | "AWAITING_APPROVAL" | "APPROVED" | "IN_PROGRESS" | "COMPLETION_PUBLICITY" | "CLOSED" | "REJECTED" | "WITHDRAWN" | "FAILED";
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of project summaries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetProjectsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    postProjects: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "communityId": "gd-gdjd-xh",
                 *       "year": 2025,
                 *       "title": "老旧小区路灯维修",
                 *       "category": "property_service",
                 *       "type": "works",
                 *       "amountFen": 3000000,
                 *       "delivery": "self",
                 *       "measures": "更换小区内20盏损坏路灯，增设2盏太阳能灯",
                 *       "plannedEnd": "2025-12-15",
                 *       "needIds": []
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsBody"];
            };
        };
        responses: {
            /** @description The new DRAFT project */
            201: {
                headers: {
                    /** @description Where the new resource is read */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getProjectsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    patchProjectsId: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "老旧小区路灯维修及线路改造",
                 *       "amountFen": 3500000
                 *     }
                 */
                "application/json": components["schemas"]["PatchProjectsIdBody"];
            };
        };
        responses: {
            /** @description The edited project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getProjectsIdObjections: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the accepted objections, round by round */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetProjectsIdObjectionsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getProjectsIdHistory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every event of the project */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetProjectsIdHistoryResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getProjectsIdDossier: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The one-project file (一项目一档案) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetProjectsIdDossierResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    postProjectsIdDeliberations: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "step": "residents_resolution",
                 *       "heldOn": "2025-09-22",
                 *       "body": "居民代表会议",
                 *       "attendance": 20,
                 *       "votesFor": 18,
                 *       "votesAgainst": 1,
                 *       "abstentions": 1,
                 *       "minutes": "与会居民代表同意实施该项目"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdDeliberationsBody"];
            };
        };
        responses: {
            /** @description The deliberation as recorded */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostProjectsIdDeliberationsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdSubmit: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project, now UNDER_REVIEW */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdReview: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "decision": "pass",
                 *       "comment": "同意公示"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdReviewBody"];
            };
        };
        responses: {
            /** @description The project, IN_PUBLICITY or RETURNED */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdObjectionsObjectionIdResolution: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
                objectionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "upheld": false,
                 *       "reply": "经现场核实，路灯位置合理，将加装遮光罩"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdObjectionsObjectionIdResolutionBody"];
            };
        };
        responses: {
            /** @description The project, moved on once every objection is resolved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdApproval: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "decision": "approve",
                 *       "comment": "批准实施"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdApprovalBody"];
            };
        };
        responses: {
            /** @description The project, APPROVED (IN_PROGRESS when self-run) or REJECTED */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdContract: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "undertakerId": "01JBQ3S6M2Y8ZK7V5N4T1XW0AB",
                 *       "signedOn": "2025-10-20",
                 *       "amountFen": 2800000
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdContractBody"];
            };
        };
        responses: {
            /** @description The project, now IN_PROGRESS */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdProgress: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "percent": 50,
                 *       "note": "已更换10盏路灯"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdProgressBody"];
            };
        };
        responses: {
            /** @description The progress report and the project */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostProjectsIdProgressResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdTranchesNAcceptance: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "passed": true,
                 *       "comment": "第一阶段验收合格",
                 *       "satisfaction": 96
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdTranchesNAcceptanceBody"];
            };
        };
        responses: {
            /** @description The project, the tranche paid when the stage passed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdChangeRequests: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "amountFen": 3200000,
                 *       "reason": "材料价格上涨，需增加预算"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdChangeRequestsBody"];
            };
        };
        responses: {
            /** @description The PENDING change request */
            201: {
                headers: {
                    /** @description Where the change request lives */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postChangeRequestsIdDecision: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "approve": true,
                 *       "comment": "同意变更"
                 *     }
                 */
                "application/json": components["schemas"]["PostChangeRequestsIdDecisionBody"];
            };
        };
        responses: {
            /** @description The decided change request (with the project when approved) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostChangeRequestsIdDecisionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postProjectsIdWithdraw: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reason": "居民意见不一致，暂缓实施"
                 *     }
                 */
                "application/json": components["schemas"]["PostProjectsIdWithdrawBody"];
            };
        };
        responses: {
            /** @description The project, now WITHDRAWN */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getPublicPublicity: {
        parameters: {
            query: {
                communityId: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Projects in their publicity window, as summaries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPublicPublicityResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
        };
    };
    getPublicProjectsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project as residents see it, with its undertaker’s name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPublicProjectsIdResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
        };
    };
    getPublicCompletions: {
        parameters: {
            query: {
                communityId: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Completed projects and what they were paid */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPublicCompletionsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
        };
    };
    postPublicProjectsIdObjections: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "content": "路灯离住户窗户太近，晚上影响休息",
                 *       "contact": "13800138000"
                 *     }
                 */
                "application/json": components["schemas"]["PostPublicProjectsIdObjectionsBody"];
            };
        };
        responses: {
            /** @description The receipt of the objection */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PostPublicProjectsIdObjectionsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getUndertakers: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
                disqualifiedIn?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the register */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetUndertakersResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    postUndertakers: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "星河社工服务中心",
                 *       "kind": "social_org",
                 *       "creditCode": "52530111MJ0000001X"
                 *     }
                 */
                "application/json": components["schemas"]["PostUndertakersBody"];
            };
        };
        responses: {
            /** @description The registered undertaker */
            201: {
                headers: {
                    /** @description Where the new resource is read */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UndertakerView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    postUndertakersIdDisqualifications: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "year": 2026,
                 *       "reason": "项目未按期完成，年度检查不合格"
                 *     }
                 */
                "application/json": components["schemas"]["PostUndertakersIdDisqualificationsBody"];
            };
        };
        responses: {
            /** @description The undertaker with its disqualifications */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UndertakerView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getYearEndYear: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The year-end report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["YearEndReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    postYearEndYear: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The year-end report (the same one when run again) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["YearEndReport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
    getReportsSummary: {
        parameters: {
            query?: {
                year?: number;
                streetId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The year’s counts and money */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetReportsSummaryResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getReportsLists: {
        parameters: {
            query?: {
                year?: number;
                communityId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The three lists (三个清单); CSV when asked with Accept: text/csv */
            200: {
                headers: {
                    /** @description With the CSV: the file name */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lists"];
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    getPublicLists: {
        parameters: {
            query: {
                communityId: string;
                year?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The three lists as residents see them */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPublicListsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
        };
    };
    getAudit: {
        parameters: {
            query: {
                date: string;
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the audit trail of one day */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetAuditResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
        };
    };
    getOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This OpenAPI 3.1 document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetOpenapiJsonResponse"];
                };
            };
        };
    };
    putMeContact: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key and body give the same answer and one effect, also after a crash: a record the command adds takes an id derived from the key. The key is bound to the caller (sub, role and unit; the client address on public routes), the route and the path. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "phone": "13800138000",
                 *       "email": "wang.li@example.org"
                 *     }
                 */
                "application/json": components["schemas"]["PutMeContactBody"];
            };
        };
        responses: {
            /** @description Where the caller’s reminders go */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PutMeContactResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["ContentTooLarge"];
            422: components["responses"]["UnprocessableContent"];
        };
    };
}
