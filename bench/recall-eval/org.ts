/**
 * The evaluation organisation, written by hand: Acme, a ~40-person software
 * company — people (role, location, office, team, manager, time zone, start
 * date, skills), teams, services (owner team, maintainers, dependencies,
 * on-call), projects (lead, sponsor, status, deadline, budget), decisions
 * (title, rationale, who, what they affect), offices and the agents that write
 * the memory (with their `memory:trust_level`).
 *
 * Multi-valued relationships (a person co-maintaining two services, a service
 * with several dependencies, an on-call assignment) are reified as their own
 * entities with `rel:subject` / `rel:object`, because a triple holds one value
 * per source (protocol.md §6: a second value from the same source supersedes).
 *
 * {@link orgFacts} turns the tables into facts in two phases: the initial
 * load, then a few same-source updates (a move, a promotion, status changes)
 * so the evaluation also checks that recall answers from the current view.
 *
 * @module
 */
import type { AssertBody } from "../lib/dataset.js";

/** Every entity and source URI of the set lives under this authority. */
export const ORG = "stigmem://acme";
/** All evaluation facts are written to, and recalled from, this scope. */
export const EVAL_SCOPE = "company";

/** `kind/id` → `stigmem://acme/kind/id`. */
export function uri(path: string): string {
  return `${ORG}/${path}`;
}

const SRC = {
  hr: uri("agent/hr-sync"),
  catalog: uri("agent/service-catalog"),
  pm: uri("agent/pm-bot"),
  adr: uri("agent/adr-importer"),
  facilities: uri("agent/facilities-bot"),
  slack: uri("agent/slack-scraper"),
} as const;

// ───────────────────────────── people ─────────────────────────────

interface Person {
  id: string;
  name: string;
  role: string;
  location: string;
  office: string | null;
  team: string;
  manager: string | null;
  tz: string;
  start: string;
  skills?: string;
}

export const PEOPLE: readonly Person[] = [
  { id: "dana", name: "Dana Okafor", role: "Staff Engineer", location: "Lisbon office, 2nd floor (desk L2-14)", office: "lisbon", team: "payments", manager: "priya", tz: "Europe/Lisbon", start: "2019-03-11", skills: "Double-entry accounting systems, Go, Postgres performance tuning, incident command" },
  { id: "priya", name: "Priya Raman", role: "Engineering Manager, Payments", location: "Lisbon office, 2nd floor", office: "lisbon", team: "payments", manager: "marcus", tz: "Europe/Lisbon", start: "2018-06-04", skills: "People management, PCI DSS compliance, hiring loops" },
  { id: "oscar", name: "Oscar Lindgren", role: "Backend Engineer", location: "Lisbon office, 2nd floor", office: "lisbon", team: "payments", manager: "priya", tz: "Europe/Lisbon", start: "2023-04-17", skills: "Java, checkout flows, load testing" },
  { id: "leo", name: "Leo Fischer", role: "Senior Backend Engineer", location: "Lisbon office, 2nd floor", office: "lisbon", team: "payments", manager: "priya", tz: "Europe/Lisbon", start: "2020-11-02", skills: "Kotlin, payment gateway integrations, latency profiling" },
  { id: "amara", name: "Amara Diallo", role: "Product Manager, Payments", location: "London office, 3rd floor", office: "london", team: "product", manager: "grace", tz: "Europe/London", start: "2020-08-03" },
  { id: "marcus", name: "Marcus Feld", role: "VP of Engineering", location: "Berlin office, 5th floor", office: "berlin", team: "leadership", manager: "helena", tz: "Europe/Berlin", start: "2017-01-09" },
  { id: "helena", name: "Helena Sato", role: "Chief Technology Officer (CTO)", location: "Berlin office, 5th floor", office: "berlin", team: "leadership", manager: "omar", tz: "Europe/Berlin", start: "2016-05-02" },
  { id: "omar", name: "Omar Haddad", role: "CEO and co-founder", location: "London office, 3rd floor", office: "london", team: "leadership", manager: null, tz: "Europe/London", start: "2015-09-01" },
  { id: "ruth", name: "Ruth Adeyemi", role: "Chief Operating Officer (COO)", location: "London office, 3rd floor", office: "london", team: "leadership", manager: "omar", tz: "Europe/London", start: "2016-11-07" },
  { id: "victor", name: "Victor Almeida", role: "Chief Financial Officer (CFO)", location: "Lisbon office, 2nd floor", office: "lisbon", team: "leadership", manager: "omar", tz: "Europe/Lisbon", start: "2017-07-03" },
  { id: "lena", name: "Lena Novak", role: "Senior Site Reliability Engineer", location: "Berlin office, 4th floor", office: "berlin", team: "infra", manager: "tobias", tz: "Europe/Berlin", start: "2020-02-17", skills: "Kubernetes, Prometheus, capacity planning, chaos drills" },
  { id: "tobias", name: "Tobias Brandt", role: "Infrastructure Lead", location: "Berlin office, 4th floor", office: "berlin", team: "infra", manager: "marcus", tz: "Europe/Berlin", start: "2017-11-20", skills: "Networking, Terraform, vendor negotiations" },
  { id: "mia", name: "Mia Jensen", role: "Site Reliability Engineer", location: "Remote, Copenhagen, Denmark", office: null, team: "infra", manager: "tobias", tz: "Europe/Copenhagen", start: "2023-02-06", skills: "CDN configuration, Terraform, on-call tooling" },
  { id: "pavel", name: "Pavel Novotny", role: "Infrastructure Intern", location: "Berlin office, 4th floor", office: "berlin", team: "infra", manager: "tobias", tz: "Europe/Berlin", start: "2026-09-01" },
  { id: "kenji", name: "Kenji Watanabe", role: "Backend Engineer", location: "Remote, Tokyo, Japan", office: null, team: "search", manager: "sofia", tz: "Asia/Tokyo", start: "2021-04-01", skills: "Information retrieval, BM25 tuning, Rust, OpenSearch" },
  { id: "sofia", name: "Sofia Marquez", role: "Search Team Lead", location: "Remote, Madrid, Spain", office: null, team: "search", manager: "marcus", tz: "Europe/Madrid", start: "2018-10-15" },
  { id: "ivan", name: "Ivan Horvat", role: "Backend Engineer", location: "Remote, Zagreb, Croatia", office: null, team: "search", manager: "sofia", tz: "Europe/Zagreb", start: "2022-11-14", skills: "Indexing pipelines, Java, Lucene" },
  { id: "grace", name: "Grace Liu", role: "Head of Product", location: "London office, 3rd floor", office: "london", team: "product", manager: "omar", tz: "Europe/London", start: "2017-03-27" },
  { id: "felix", name: "Felix Wagner", role: "Frontend Engineer", location: "Berlin office, 3rd floor", office: "berlin", team: "web", manager: "nadia", tz: "Europe/Berlin", start: "2022-01-10", skills: "React, TypeScript, accessibility audits" },
  { id: "nadia", name: "Nadia Petrova", role: "Web Team Lead", location: "Remote, Warsaw, Poland", office: null, team: "web", manager: "marcus", tz: "Europe/Warsaw", start: "2019-07-08" },
  { id: "emma", name: "Emma Schulz", role: "QA Engineer", location: "Berlin office, 3rd floor", office: "berlin", team: "web", manager: "nadia", tz: "Europe/Berlin", start: "2022-03-07", skills: "Playwright, test automation, release checklists" },
  { id: "raj", name: "Raj Patel", role: "Data Engineer", location: "Bangalore office", office: "bangalore", team: "data", manager: "ingrid", tz: "Asia/Kolkata", start: "2021-09-13", skills: "Spark, dbt, Airflow, warehouse cost control" },
  { id: "ingrid", name: "Ingrid Holm", role: "Data Platform Lead", location: "Remote, Stockholm, Sweden", office: null, team: "data", manager: "marcus", tz: "Europe/Stockholm", start: "2018-02-05" },
  { id: "noah", name: "Noah Levi", role: "Data Scientist", location: "Remote, Tel Aviv, Israel", office: null, team: "data", manager: "ingrid", tz: "Asia/Jerusalem", start: "2021-01-18", skills: "Gradient boosted trees, fraud detection, Python, feature engineering" },
  { id: "mateo", name: "Mateo Rossi", role: "Security Engineer", location: "Remote, Milan, Italy", office: null, team: "security", manager: "yusuf", tz: "Europe/Rome", start: "2022-05-16", skills: "OIDC, threat modelling, secrets management, penetration testing" },
  { id: "yusuf", name: "Yusuf Kaya", role: "Head of Security", location: "London office, 3rd floor", office: "london", team: "security", manager: "helena", tz: "Europe/London", start: "2019-01-14" },
  { id: "chloe", name: "Chloe Martin", role: "Product Designer", location: "Paris office", office: "paris", team: "design", manager: "elise", tz: "Europe/Paris", start: "2021-03-22", skills: "Interaction design, Figma, user research" },
  { id: "elise", name: "Elise Dubois", role: "Design Lead", location: "Paris office", office: "paris", team: "design", manager: "grace", tz: "Europe/Paris", start: "2018-09-10" },
  { id: "sam", name: "Sam Oduya", role: "Support Engineer", location: "Remote, Nairobi, Kenya", office: null, team: "support", manager: "hannah", tz: "Africa/Nairobi", start: "2022-10-03", skills: "Debugging customer integrations, SQL, API troubleshooting" },
  { id: "hannah", name: "Hannah Berg", role: "Customer Support Manager", location: "Remote, Dublin, Ireland", office: null, team: "support", manager: "ruth", tz: "Europe/Dublin", start: "2019-04-29" },
  { id: "arjun", name: "Arjun Mehta", role: "Mobile Engineer", location: "Bangalore office", office: "bangalore", team: "mobile", manager: "carla", tz: "Asia/Kolkata", start: "2021-06-21", skills: "Swift, Kotlin, React Native" },
  { id: "carla", name: "Carla Souza", role: "Mobile Lead", location: "Remote, São Paulo, Brazil", office: null, team: "mobile", manager: "marcus", tz: "America/Sao_Paulo", start: "2019-12-02" },
  { id: "zoe", name: "Zoe Clarke", role: "Platform Team Lead", location: "Manchester office", office: "manchester", team: "platform", manager: "marcus", tz: "Europe/London", start: "2018-04-16" },
  { id: "ben", name: "Ben Carter", role: "Platform Engineer", location: "Manchester office", office: "manchester", team: "platform", manager: "zoe", tz: "Europe/London", start: "2020-05-11", skills: "Kafka, event-driven architecture, Java" },
  { id: "jonas", name: "Jonas Lindqvist", role: "Platform Engineer", location: "Remote, Gothenburg, Sweden", office: null, team: "platform", manager: "zoe", tz: "Europe/Stockholm", start: "2022-08-29", skills: "Go, feature flag systems, developer tooling" },
  { id: "alice", name: "Alice Moreau", role: "Finance Controller", location: "Paris office", office: "paris", team: "finance", manager: "victor", tz: "Europe/Paris", start: "2020-01-20" },
  { id: "julia", name: "Julia Kowalski", role: "Head of People", location: "Remote, Warsaw, Poland", office: null, team: "people-ops", manager: "ruth", tz: "Europe/Warsaw", start: "2018-11-26" },
  { id: "tariq", name: "Tariq Aziz", role: "Technical Recruiter", location: "Remote, Dubai, United Arab Emirates", office: null, team: "people-ops", manager: "julia", tz: "Asia/Dubai", start: "2023-03-13" },
  { id: "kate", name: "Kate Morgan", role: "Head of Sales", location: "New York office", office: "new-york", team: "sales", manager: "ruth", tz: "America/New_York", start: "2019-05-20" },
  { id: "luis", name: "Luis Ortega", role: "Solutions Engineer", location: "Remote, Mexico City, Mexico", office: null, team: "sales", manager: "kate", tz: "America/Mexico_City", start: "2021-07-12", skills: "Customer demos, API integrations, security questionnaires" },
  { id: "lucia", name: "Lucia Romano", role: "Legal Counsel", location: "Remote, Milan, Italy", office: null, team: "legal", manager: "ruth", tz: "Europe/Rome", start: "2020-09-28" },
];

// ───────────────────────────── teams ─────────────────────────────

interface Team {
  id: string;
  name: string;
  mission: string;
  lead: string;
  slack: string;
  headcount: number;
}

export const TEAMS: readonly Team[] = [
  { id: "payments", name: "Payments", mission: "Move money reliably: billing, invoicing, the ledger, checkout and the payment gateway integrations.", lead: "priya", slack: "#team-payments", headcount: 4 },
  { id: "infra", name: "Infrastructure", mission: "Run the clusters, networks and CDN everything else runs on; own capacity and uptime.", lead: "tobias", slack: "#team-infra", headcount: 4 },
  { id: "search", name: "Search", mission: "Help customers find anything in their workspace in under 200 ms.", lead: "sofia", slack: "#team-search", headcount: 3 },
  { id: "web", name: "Web", mission: "Build and ship the customer-facing web application.", lead: "nadia", slack: "#team-web", headcount: 3 },
  { id: "data", name: "Data Platform", mission: "Provide trustworthy analytics data and machine-learning features to the rest of the company.", lead: "ingrid", slack: "#team-data", headcount: 3 },
  { id: "security", name: "Security", mission: "Keep customer data safe: identity, secrets, audits and incident response.", lead: "yusuf", slack: "#team-security", headcount: 2 },
  { id: "design", name: "Design", mission: "Own the product's look and feel and the shared design system.", lead: "elise", slack: "#team-design", headcount: 2 },
  { id: "support", name: "Customer Support", mission: "Answer customers within one business hour and turn their pain into product fixes.", lead: "hannah", slack: "#team-support", headcount: 2 },
  { id: "mobile", name: "Mobile", mission: "Ship the iOS and Android apps.", lead: "carla", slack: "#team-mobile", headcount: 2 },
  { id: "platform", name: "Developer Platform", mission: "Give engineers paved roads: build, deploy, feature flags and the event bus.", lead: "zoe", slack: "#team-platform", headcount: 3 },
  { id: "finance", name: "Finance", mission: "Close the books, forecast spend and pay suppliers.", lead: "victor", slack: "#team-finance", headcount: 1 },
  { id: "people-ops", name: "People Operations", mission: "Hire, onboard and grow the people of Acme.", lead: "julia", slack: "#team-people", headcount: 2 },
  { id: "sales", name: "Sales and Solutions Engineering", mission: "Win and expand customer accounts.", lead: "kate", slack: "#team-sales", headcount: 2 },
  { id: "legal", name: "Legal", mission: "Contracts, privacy and regulatory compliance.", lead: "lucia", slack: "#team-legal", headcount: 1 },
  { id: "leadership", name: "Leadership team", mission: "Set company strategy and allocate the budget.", lead: "omar", slack: "#leadership", headcount: 5 },
  { id: "product", name: "Product Management", mission: "Decide what we build and why.", lead: "grace", slack: "#team-product", headcount: 2 },
];

// ───────────────────────────── services ─────────────────────────────

interface Service {
  id: string;
  name: string;
  description: string;
  owner: string;
  language: string;
  tier: string;
  /** The main dependency, as a direct `rel:depends_on` ref (the full list is reified in DEPENDENCIES). */
  dependsOn?: string;
  status: string;
}

export const SERVICES: readonly Service[] = [
  { id: "billing", name: "Billing service", description: "Generates invoices, applies pricing plans and collects subscription payments.", owner: "payments", language: "Go", tier: "tier-1", dependsOn: "ledger", status: "in production" },
  { id: "ledger", name: "Ledger", description: "Double-entry ledger recording every money movement; the source of truth for balances.", owner: "payments", language: "Go", tier: "tier-1", status: "in production" },
  { id: "checkout", name: "Checkout", description: "Hosted checkout pages and the API that turns a cart into a paid order.", owner: "payments", language: "Java", tier: "tier-1", dependsOn: "payments-gateway", status: "in production" },
  { id: "payments-gateway", name: "Payments gateway", description: "Adapter to card processors and bank transfer providers, with retries and idempotency.", owner: "payments", language: "Kotlin", tier: "tier-1", status: "in production" },
  { id: "search-api", name: "Search API", description: "Query endpoint for workspace search: parsing, ranking and highlighting.", owner: "search", language: "Rust", tier: "tier-1", dependsOn: "indexer", status: "in production" },
  { id: "indexer", name: "Indexer", description: "Consumes change events and keeps the OpenSearch indexes up to date.", owner: "search", language: "Java", tier: "tier-2", dependsOn: "event-bus", status: "in production" },
  { id: "identity", name: "Identity service", description: "Single sign-on, OIDC provider, sessions and API tokens for customers and staff.", owner: "security", language: "TypeScript", tier: "tier-1", status: "in production" },
  { id: "notifications", name: "Notifications", description: "Sends push, email and in-app notifications according to user preferences.", owner: "platform", language: "TypeScript", tier: "tier-2", dependsOn: "email-relay", status: "in production" },
  { id: "email-relay", name: "Email relay", description: "Outbound SMTP relay with bounce handling and sender reputation monitoring.", owner: "platform", language: "Go", tier: "tier-2", status: "in production" },
  { id: "web-app", name: "Web app", description: "The customer-facing single-page application and its server-side rendering.", owner: "web", language: "TypeScript", tier: "tier-1", dependsOn: "identity", status: "in production" },
  { id: "admin-console", name: "Admin console", description: "Legacy internal tool for support staff to inspect and repair customer accounts.", owner: "web", language: "PHP", tier: "tier-3", dependsOn: "identity", status: "deprecated, to be retired in Q3 2027" },
  { id: "mobile-api", name: "Mobile API", description: "Backend-for-frontend serving the iOS and Android apps.", owner: "mobile", language: "Kotlin", tier: "tier-2", dependsOn: "identity", status: "in production" },
  { id: "data-warehouse", name: "Data warehouse", description: "Analytics warehouse fed from the event bus; dashboards and finance reporting read from it.", owner: "data", language: "SQL and Python", tier: "tier-2", dependsOn: "event-bus", status: "in production" },
  { id: "event-bus", name: "Event bus", description: "Kafka cluster and schema registry carrying domain events between services.", owner: "platform", language: "Java", tier: "tier-1", status: "in production" },
  { id: "feature-flags", name: "Feature flags", description: "Flag evaluation service and UI for gradual rollouts and kill switches.", owner: "platform", language: "Go", tier: "tier-2", status: "in production" },
  { id: "observability", name: "Observability stack", description: "Metrics, logs and traces collection with alerting and dashboards.", owner: "infra", language: "Go", tier: "tier-1", status: "in production" },
  { id: "cdn-edge", name: "CDN edge", description: "Edge caching, TLS termination and DDoS protection in front of the web app.", owner: "infra", language: "Lua and VCL", tier: "tier-1", status: "in production" },
  { id: "fraud-scoring", name: "Fraud scoring", description: "Scores every payment for fraud risk in real time before authorisation.", owner: "data", language: "Python", tier: "tier-1", dependsOn: "data-warehouse", status: "in production" },
];

/** The single service each person maintains, as a direct `person rel:maintains service` ref. */
export const MAINTAINS: Readonly<Record<string, string>> = {
  dana: "billing",
  leo: "ledger",
  oscar: "checkout",
  kenji: "search-api",
  ivan: "indexer",
  mateo: "identity",
  felix: "web-app",
  emma: "admin-console",
  arjun: "mobile-api",
  raj: "data-warehouse",
  ben: "event-bus",
  jonas: "feature-flags",
  lena: "observability",
  mia: "cdn-edge",
  noah: "fraud-scoring",
  pavel: "email-relay",
};

/** Further maintainerships, reified: `maintainership/{person}-{service}`. */
export const MAINTAINERSHIPS: readonly { person: string; service: string; role: string; since: string }[] = [
  { person: "dana", service: "payments-gateway", role: "co-maintainer", since: "2022-01-01" },
  { person: "oscar", service: "payments-gateway", role: "maintainer", since: "2023-09-01" },
  { person: "ben", service: "notifications", role: "maintainer", since: "2021-02-01" },
  { person: "jonas", service: "notifications", role: "co-maintainer", since: "2023-05-15" },
  { person: "leo", service: "checkout", role: "co-maintainer", since: "2024-03-01" },
];

/** Service dependencies, reified: `dependency/{from}--{to}`. */
export const DEPENDENCIES: readonly { from: string; to: string; kind: string; criticality: string }[] = [
  { from: "billing", to: "ledger", kind: "synchronous gRPC calls", criticality: "hard: billing stops without it" },
  { from: "billing", to: "payments-gateway", kind: "synchronous HTTP calls", criticality: "hard: billing stops without it" },
  { from: "billing", to: "notifications", kind: "asynchronous events", criticality: "soft: invoices are sent later" },
  { from: "checkout", to: "billing", kind: "synchronous HTTP calls", criticality: "hard: checkout stops without it" },
  { from: "checkout", to: "payments-gateway", kind: "synchronous HTTP calls", criticality: "hard: checkout stops without it" },
  { from: "checkout", to: "fraud-scoring", kind: "synchronous HTTP calls with a fallback", criticality: "soft: payments are allowed on timeout" },
  { from: "search-api", to: "indexer", kind: "shared OpenSearch indexes", criticality: "hard: results go stale without it" },
  { from: "indexer", to: "event-bus", kind: "asynchronous events", criticality: "hard: indexing stops without it" },
  { from: "data-warehouse", to: "event-bus", kind: "asynchronous events", criticality: "hard: data stops flowing without it" },
  { from: "web-app", to: "search-api", kind: "synchronous HTTP calls", criticality: "soft: search box is disabled" },
  { from: "web-app", to: "identity", kind: "OIDC login", criticality: "hard: nobody can log in without it" },
  { from: "mobile-api", to: "identity", kind: "OIDC login", criticality: "hard: nobody can log in without it" },
  { from: "admin-console", to: "identity", kind: "OIDC login", criticality: "hard: staff cannot log in without it" },
  { from: "notifications", to: "email-relay", kind: "SMTP", criticality: "soft: push still works" },
  { from: "fraud-scoring", to: "data-warehouse", kind: "nightly feature export", criticality: "soft: model features go stale" },
];

/** On-call assignments, reified: `oncall/{service}` with the primary as `rel:subject`. */
export const ONCALL: readonly { service: string; primary: string; escalation: string; rotation: string }[] = [
  { service: "billing", primary: "leo", escalation: "dana", rotation: "weekly, handover Monday 09:00 Lisbon time" },
  { service: "ledger", primary: "dana", escalation: "priya", rotation: "weekly, handover Monday 09:00 Lisbon time" },
  { service: "checkout", primary: "oscar", escalation: "leo", rotation: "weekly, handover Monday 09:00 Lisbon time" },
  { service: "payments-gateway", primary: "leo", escalation: "priya", rotation: "weekly, handover Monday 09:00 Lisbon time" },
  { service: "search-api", primary: "ivan", escalation: "kenji", rotation: "two weeks, follow-the-sun with Tokyo" },
  { service: "identity", primary: "mateo", escalation: "yusuf", rotation: "weekly" },
  { service: "event-bus", primary: "ben", escalation: "zoe", rotation: "weekly, handover Tuesday 10:00 UK time" },
  { service: "observability", primary: "mia", escalation: "lena", rotation: "weekly, follow-the-sun" },
  { service: "cdn-edge", primary: "lena", escalation: "tobias", rotation: "weekly, follow-the-sun" },
  { service: "data-warehouse", primary: "raj", escalation: "ingrid", rotation: "business hours only" },
  { service: "web-app", primary: "felix", escalation: "nadia", rotation: "weekly" },
  { service: "mobile-api", primary: "arjun", escalation: "carla", rotation: "weekly" },
];

// ───────────────────────────── projects ─────────────────────────────

interface Project {
  id: string;
  name: string;
  goal: string;
  lead: string;
  sponsor: string;
  status: string;
  deadline: string;
  touches: string;
  budgetEur: number;
}

export const PROJECTS: readonly Project[] = [
  { id: "atlas", name: "Project Atlas", goal: "Migrate billing onto the new double-entry ledger and retire the legacy invoice tables.", lead: "priya", sponsor: "victor", status: "at risk: the reconciliation backlog slipped by three weeks", deadline: "2027-03-31", touches: "billing", budgetEur: 420_000 },
  { id: "orion", name: "Project Orion", goal: "Rewrite search relevance with hybrid lexical and semantic ranking.", lead: "sofia", sponsor: "helena", status: "on track", deadline: "2027-06-30", touches: "search-api", budgetEur: 310_000 },
  { id: "helios", name: "Project Helios", goal: "Rebuild the mobile apps on a shared React Native codebase.", lead: "carla", sponsor: "grace", status: "blocked: waiting for design tokens from Quill", deadline: "2027-02-15", touches: "mobile-api", budgetEur: 260_000 },
  { id: "nimbus", name: "Project Nimbus", goal: "Run every tier-1 service in two regions, Frankfurt and Dublin, with automatic failover.", lead: "tobias", sponsor: "helena", status: "on track", deadline: "2027-09-30", touches: "cdn-edge", budgetEur: 950_000 },
  { id: "quill", name: "Project Quill", goal: "Build a shared design system with tokens for web and mobile.", lead: "elise", sponsor: "grace", status: "on track", deadline: "2027-01-31", touches: "web-app", budgetEur: 120_000 },
  { id: "beacon", name: "Project Beacon", goal: "A public status page and incident communication for customers.", lead: "hannah", sponsor: "ruth", status: "planned", deadline: "2027-04-30", touches: "notifications", budgetEur: 60_000 },
  { id: "ember", name: "Project Ember", goal: "Move the data warehouse to a lakehouse platform and cut query costs by 40 %.", lead: "ingrid", sponsor: "victor", status: "at risk: vendor contract not signed", deadline: "2027-05-31", touches: "data-warehouse", budgetEur: 380_000 },
  { id: "sentinel", name: "Project Sentinel", goal: "Achieve SOC 2 Type II certification.", lead: "yusuf", sponsor: "helena", status: "done: certified in October 2026", deadline: "2026-10-31", touches: "identity", budgetEur: 200_000 },
  { id: "falcon", name: "Project Falcon", goal: "Cut checkout latency p95 below 300 ms.", lead: "oscar", sponsor: "priya", status: "on track", deadline: "2027-01-15", touches: "checkout", budgetEur: 90_000 },
  { id: "harbor", name: "Project Harbor", goal: "Self-serve onboarding so new customers activate without a sales call.", lead: "amara", sponsor: "grace", status: "on track", deadline: "2027-03-15", touches: "web-app", budgetEur: 140_000 },
  { id: "compass", name: "Project Compass", goal: "Revamp pricing and packaging, including local-currency prices.", lead: "grace", sponsor: "omar", status: "planned", deadline: "2027-07-01", touches: "billing", budgetEur: 150_000 },
  { id: "lumen", name: "Project Lumen", goal: "Replace the metrics stack with OpenTelemetry and unified dashboards.", lead: "lena", sponsor: "tobias", status: "on track", deadline: "2027-02-28", touches: "observability", budgetEur: 140_000 },
  { id: "relay", name: "Project Relay", goal: "Notifications v2: push-first delivery with per-user preferences.", lead: "zoe", sponsor: "marcus", status: "blocked: waiting on the mobile push certificates", deadline: "2027-04-15", touches: "notifications", budgetEur: 110_000 },
  { id: "mosaic", name: "Project Mosaic", goal: "Replace the legacy admin console with internal tools built on the platform.", lead: "emma", sponsor: "zoe", status: "planned", deadline: "2027-08-31", touches: "admin-console", budgetEur: 70_000 },
];

// ───────────────────────────── decisions ─────────────────────────────

interface Decision {
  id: string;
  title: string;
  rationale: string;
  decidedAt: string;
  by: string;
  /** `kind/id` of what it affects. */
  affects: string;
  status: string;
}

export const DECISIONS: readonly Decision[] = [
  { id: "adr-007", title: "Use PostgreSQL for the ledger", rationale: "Double-entry bookkeeping needs strict transactions and check constraints, and the team already runs Postgres well; a document store was rejected because it cannot enforce balanced entries.", decidedAt: "2024-02-12", by: "priya", affects: "service/ledger", status: "accepted" },
  { id: "adr-011", title: "Adopt Kafka as the company event bus", rationale: "Durable, replayable event streams let the warehouse, the search indexer and notifications consume the same events; RabbitMQ lacked replay.", decidedAt: "2024-05-06", by: "tobias", affects: "service/event-bus", status: "accepted" },
  { id: "adr-014", title: "Move search from Elasticsearch to OpenSearch", rationale: "Licensing changes made Elasticsearch costly for our hosted offering; OpenSearch is API-compatible for what we use.", decidedAt: "2024-09-18", by: "sofia", affects: "service/search-api", status: "accepted" },
  { id: "adr-015", title: "TypeScript for new backend services, Go for money-moving ones", rationale: "One language across web and backend lowers onboarding cost; payments stay in Go for its predictable latency.", decidedAt: "2024-10-01", by: "marcus", affects: "team/platform", status: "accepted" },
  { id: "adr-018", title: "Deploy freeze in the last week of each quarter", rationale: "Finance closes the books that week; incidents during the close delayed reporting twice in 2024.", decidedAt: "2025-01-08", by: "ruth", affects: "service/billing", status: "accepted" },
  { id: "adr-019", title: "Retire the legacy admin console by Q3 2027", rationale: "It runs on an unsupported framework and bypasses single sign-on; Project Mosaic replaces it.", decidedAt: "2025-03-03", by: "zoe", affects: "service/admin-console", status: "accepted" },
  { id: "adr-021", title: "Every risky launch goes behind a feature flag", rationale: "Rollbacks took 40 minutes on average; flipping a flag takes seconds.", decidedAt: "2025-04-14", by: "jonas", affects: "service/feature-flags", status: "accepted" },
  { id: "adr-022", title: "Single sign-on via OIDC for all internal tools", rationale: "Shared passwords failed the SOC 2 readiness review; OIDC through the identity service gives one place to revoke access.", decidedAt: "2025-05-20", by: "yusuf", affects: "service/identity", status: "accepted" },
  { id: "adr-023", title: "Keep personal data in the EU region only", rationale: "GDPR and customer contracts require EU residency for personal data; US analytics get pseudonymised extracts.", decidedAt: "2025-06-02", by: "lucia", affects: "service/data-warehouse", status: "accepted" },
  { id: "adr-025", title: "Local-currency pricing for Brazil and India", rationale: "Conversion on USD prices was half that of EUR markets; local prices remove exchange-rate surprises for customers.", decidedAt: "2025-08-19", by: "grace", affects: "project/compass", status: "proposed" },
  { id: "adr-026", title: "Weekly on-call rotation with follow-the-sun handover", rationale: "Night pages burned people out; handing over between Europe and Asia keeps pages in working hours.", decidedAt: "2025-09-09", by: "tobias", affects: "service/observability", status: "accepted" },
  { id: "adr-027", title: "React Native for the mobile rewrite", rationale: "One codebase for iOS and Android halves the work of a small team; native modules remain for payments.", decidedAt: "2025-10-27", by: "carla", affects: "project/helios", status: "accepted" },
  { id: "adr-028", title: "Remote-first hiring", rationale: "Most of our best candidates lived outside commuting distance of an office.", decidedAt: "2025-11-10", by: "julia", affects: "team/people-ops", status: "accepted" },
  { id: "adr-030", title: "Deprecate SMS notifications in favour of push and email", rationale: "SMS cost 30k EUR a year and had the lowest engagement of all channels.", decidedAt: "2026-01-22", by: "zoe", affects: "service/notifications", status: "accepted" },
  { id: "adr-031", title: "Gradient boosted trees instead of hand-written fraud rules", rationale: "The rule set caught 61 % of fraud with many false positives; the model catches 84 % at half the false-positive rate.", decidedAt: "2026-03-16", by: "noah", affects: "service/fraud-scoring", status: "accepted" },
  { id: "adr-032", title: "Cap staging cloud spend at 40k EUR per month", rationale: "Staging cost grew faster than production in 2025; a cap forces clean-up of idle environments.", decidedAt: "2026-05-04", by: "victor", affects: "team/infra", status: "accepted" },
  { id: "adr-033", title: "Billing events are written to the ledger, not the billing database", rationale: "Two sources of truth for balances caused reconciliation drift; Atlas makes the ledger authoritative.", decidedAt: "2026-07-01", by: "dana", affects: "project/atlas", status: "accepted" },
];

// ───────────────────────────── offices and agents ─────────────────────────────

export const OFFICES: readonly { id: string; name: string; address: string; tz: string; capacity: number }[] = [
  { id: "lisbon", name: "Lisbon office", address: "Rua Augusta 120, 1100-053 Lisboa, Portugal", tz: "Europe/Lisbon", capacity: 40 },
  { id: "berlin", name: "Berlin office", address: "Torstraße 88, 10119 Berlin, Germany", tz: "Europe/Berlin", capacity: 60 },
  { id: "london", name: "London office", address: "12 Clerkenwell Road, London EC1M 5PQ, United Kingdom", tz: "Europe/London", capacity: 45 },
  { id: "paris", name: "Paris office", address: "21 rue du Faubourg Saint-Antoine, 75011 Paris, France", tz: "Europe/Paris", capacity: 20 },
  { id: "bangalore", name: "Bangalore office", address: "80 Feet Road, Koramangala, Bengaluru 560034, India", tz: "Asia/Kolkata", capacity: 30 },
  { id: "manchester", name: "Manchester office", address: "1 Spinningfields, Manchester M3 3AP, United Kingdom", tz: "Europe/London", capacity: 15 },
  { id: "new-york", name: "New York office", address: "350 Fifth Avenue, New York, NY 10118, USA", tz: "America/New_York", capacity: 25 },
];

export const AGENTS: readonly { id: string; description: string; trust: string; operatedBy: string }[] = [
  { id: "hr-sync", description: "Nightly import of people, roles, teams and managers from the HR system.", trust: "high: mirrors the HR system of record", operatedBy: "people-ops" },
  { id: "service-catalog", description: "Syncs services, owners, maintainers, dependencies and on-call from the service catalogue.", trust: "high: reviewed by service owners", operatedBy: "platform" },
  { id: "pm-bot", description: "Copies project status, leads and deadlines from the planning tool every hour.", trust: "medium: statuses are self-reported", operatedBy: "product" },
  { id: "adr-importer", description: "Imports architecture decision records from the engineering handbook.", trust: "high: decisions are peer reviewed", operatedBy: "platform" },
  { id: "facilities-bot", description: "Keeps office addresses and capacities up to date.", trust: "high", operatedBy: "finance" },
  { id: "slack-scraper", description: "Extracts candidate facts from public chat channels.", trust: "low: unverified chat excerpts, confirm before acting", operatedBy: "data" },
];

/** Low-confidence chat excerpts from the slack scraper: realistic noise next to the facts they resemble. */
const CHAT_NOTES: readonly { entity: string; note: string }[] = [
  { entity: "person/dana", note: "Dana said in #random she might move to the Porto office next year." },
  { entity: "project/atlas", note: "Someone in #payments thinks Atlas could slip to the summer." },
  { entity: "service/billing", note: "Billing felt slow this morning according to a thread in #support." },
  { entity: "person/kenji", note: "Kenji is visiting the Berlin office in March." },
  { entity: "team/search", note: "The search team may merge with the data team after Orion." },
];

// ───────────────────────────── facts ─────────────────────────────

function fact(entity: string, relation: string, value: AssertBody["value"], source: string, confidence = 1.0): AssertBody {
  return { entity: uri(entity), relation, value, source, confidence, scope: EVAL_SCOPE };
}
const str = (v: string): AssertBody["value"] => ({ type: "string", v });
const text = (v: string): AssertBody["value"] => ({ type: "text", v });
const num = (v: number): AssertBody["value"] => ({ type: "number", v });
const ref = (path: string): AssertBody["value"] => ({ type: "ref", v: uri(path) });
const day = (d: string): AssertBody["value"] => ({ type: "datetime", v: `${d}T00:00:00Z` });

function email(name: string): string {
  return `${name.toLowerCase().normalize("NFD").replace(/[^a-z ]/g, "").trim().replace(/ +/g, ".")}@acme.example`;
}

/** The evaluation facts in load order: `initial` first, then `updates` (same-source, so they supersede). */
export interface OrgFacts {
  initial: AssertBody[];
  updates: AssertBody[];
}

export function orgFacts(): OrgFacts {
  const f: AssertBody[] = [];
  const updates: AssertBody[] = [];

  for (const p of PEOPLE) {
    const e = `person/${p.id}`;
    f.push(fact(e, "memory:name", str(p.name), SRC.hr));
    f.push(fact(e, "memory:role", str(p.id === "kenji" ? "Backend Engineer" : p.role), SRC.hr));
    // Dana moved from Berlin to Lisbon: the first location and office are superseded below.
    f.push(fact(e, "memory:location", str(p.id === "dana" ? "Berlin office, 4th floor" : p.location), SRC.hr));
    if (p.office !== null) f.push(fact(e, "rel:office", ref(`office/${p.id === "dana" ? "berlin" : p.office}`), SRC.hr));
    f.push(fact(e, "memory:email", str(email(p.name)), SRC.hr));
    f.push(fact(e, "memory:timezone", str(p.tz), SRC.hr));
    f.push(fact(e, "memory:start_date", day(p.start), SRC.hr));
    f.push(fact(e, "rel:member_of", ref(`team/${p.team}`), SRC.hr));
    if (p.manager !== null) f.push(fact(e, "rel:manager", ref(`person/${p.manager}`), SRC.hr));
    if (p.skills !== undefined) f.push(fact(e, "memory:skills", text(p.skills), SRC.hr));
    const maintains = MAINTAINS[p.id];
    if (maintains !== undefined) f.push(fact(e, "rel:maintains", ref(`service/${maintains}`), SRC.catalog));
  }
  updates.push(fact("person/dana", "memory:location", str(PEOPLE.find((p) => p.id === "dana")!.location), SRC.hr));
  updates.push(fact("person/dana", "rel:office", ref("office/lisbon"), SRC.hr));
  updates.push(fact("person/kenji", "memory:role", str("Senior Backend Engineer"), SRC.hr));

  for (const t of TEAMS) {
    const e = `team/${t.id}`;
    f.push(fact(e, "memory:name", str(t.name), SRC.hr));
    f.push(fact(e, "memory:mission", text(t.mission), SRC.hr));
    f.push(fact(e, "rel:lead", ref(`person/${t.lead}`), SRC.hr));
    f.push(fact(e, "memory:slack_channel", str(t.slack), SRC.hr));
    f.push(fact(e, "memory:headcount", num(t.headcount), SRC.hr));
  }

  for (const s of SERVICES) {
    const e = `service/${s.id}`;
    f.push(fact(e, "memory:name", str(s.name), SRC.catalog));
    f.push(fact(e, "memory:description", text(s.description), SRC.catalog));
    f.push(fact(e, "rel:owned_by", ref(`team/${s.owner}`), SRC.catalog));
    f.push(fact(e, "memory:language", str(s.language), SRC.catalog));
    f.push(fact(e, "memory:tier", str(s.tier), SRC.catalog));
    f.push(fact(e, "memory:repo", str(`https://git.acme.example/${s.owner}/${s.id}`), SRC.catalog));
    f.push(fact(e, "memory:runbook", str(`https://handbook.acme.example/runbooks/${s.id}`), SRC.catalog));
    f.push(fact(e, "memory:status", str(s.status), SRC.catalog));
    if (s.dependsOn !== undefined) f.push(fact(e, "rel:depends_on", ref(`service/${s.dependsOn}`), SRC.catalog));
  }
  for (const m of MAINTAINERSHIPS) {
    const e = `maintainership/${m.person}-${m.service}`;
    f.push(fact(e, "rel:subject", ref(`person/${m.person}`), SRC.catalog));
    f.push(fact(e, "rel:object", ref(`service/${m.service}`), SRC.catalog));
    f.push(fact(e, "memory:role", str(m.role), SRC.catalog));
    f.push(fact(e, "memory:since", day(m.since), SRC.catalog));
  }
  for (const d of DEPENDENCIES) {
    const e = `dependency/${d.from}--${d.to}`;
    f.push(fact(e, "rel:subject", ref(`service/${d.from}`), SRC.catalog));
    f.push(fact(e, "rel:object", ref(`service/${d.to}`), SRC.catalog));
    f.push(fact(e, "memory:kind", str(d.kind), SRC.catalog));
    f.push(fact(e, "memory:criticality", str(d.criticality), SRC.catalog));
  }
  for (const o of ONCALL) {
    const e = `oncall/${o.service}`;
    // The billing rotation changed hands: Oscar first, Leo now.
    f.push(fact(e, "rel:subject", ref(`person/${o.service === "billing" ? "oscar" : o.primary}`), SRC.catalog));
    f.push(fact(e, "rel:object", ref(`service/${o.service}`), SRC.catalog));
    f.push(fact(e, "memory:role", str("primary on-call"), SRC.catalog));
    f.push(fact(e, "memory:rotation", str(o.rotation), SRC.catalog));
    f.push(fact(e, "rel:escalates_to", ref(`person/${o.escalation}`), SRC.catalog));
  }
  updates.push(fact("oncall/billing", "rel:subject", ref("person/leo"), SRC.catalog));

  const firstStatus: Record<string, string> = { atlas: "on track", helios: "on track", sentinel: "in progress: audit fieldwork" };
  for (const p of PROJECTS) {
    const e = `project/${p.id}`;
    f.push(fact(e, "memory:name", str(p.name), SRC.pm));
    f.push(fact(e, "memory:goal", text(p.goal), SRC.pm));
    f.push(fact(e, "rel:lead", ref(`person/${p.lead}`), SRC.pm));
    f.push(fact(e, "rel:sponsor", ref(`person/${p.sponsor}`), SRC.pm));
    f.push(fact(e, "memory:status", str(firstStatus[p.id] ?? p.status), SRC.pm, 0.9));
    f.push(fact(e, "memory:deadline", day(p.deadline), SRC.pm));
    f.push(fact(e, "rel:touches", ref(`service/${p.touches}`), SRC.pm));
    f.push(fact(e, "memory:budget_eur", num(p.budgetEur), SRC.pm));
    if (firstStatus[p.id] !== undefined) updates.push(fact(e, "memory:status", str(p.status), SRC.pm, 0.9));
  }

  for (const d of DECISIONS) {
    const e = `decision/${d.id}`;
    f.push(fact(e, "memory:title", str(d.title), SRC.adr));
    f.push(fact(e, "memory:rationale", text(d.rationale), SRC.adr));
    f.push(fact(e, "memory:decided_at", day(d.decidedAt), SRC.adr));
    f.push(fact(e, "rel:decided_by", ref(`person/${d.by}`), SRC.adr));
    f.push(fact(e, "rel:affects", ref(d.affects), SRC.adr));
    f.push(fact(e, "memory:status", str(d.status), SRC.adr));
  }

  for (const o of OFFICES) {
    const e = `office/${o.id}`;
    f.push(fact(e, "memory:name", str(o.name), SRC.facilities));
    f.push(fact(e, "memory:address", str(o.address), SRC.facilities));
    f.push(fact(e, "memory:timezone", str(o.tz), SRC.facilities));
    f.push(fact(e, "memory:capacity", num(o.capacity), SRC.facilities));
  }

  for (const a of AGENTS) {
    const e = `agent/${a.id}`;
    f.push(fact(e, "memory:description", text(a.description), SRC.catalog));
    f.push(fact(e, "memory:trust_level", str(a.trust), SRC.catalog));
    f.push(fact(e, "rel:operated_by", ref(`team/${a.operatedBy}`), SRC.catalog));
  }

  for (const n of CHAT_NOTES) f.push(fact(n.entity, "memory:note", text(n.note), SRC.slack, 0.4));

  return { initial: f, updates };
}
