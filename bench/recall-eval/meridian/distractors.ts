/**
 * Distractor facts for the held-out evaluation, generated deterministically
 * (seeded): more of the Meridian Health Network — other departments, wards,
 * systems with their on-call, owners, hosting and vendors, interfaces,
 * suppliers and contracts, medical devices, change requests, incidents,
 * committees, policies, other premises and about 150 other staff — written by the same agents
 * with the SAME relation names and value vocabulary as the labelled set
 * (other systems on PostgreSQL, other wards in the East Wing, other staff
 * with bleeps and NMC registrations), so that ranking, not coverage, decides
 * whether the asked-for fact comes first.
 *
 * HELD OUT: written before any tuning; never change it to fit the code.
 *
 * Distractor ids share no distinguishing word with the labelled ids, and
 * distractor refs point only at distractor entities or at the network's sites
 * (`site/…`), so every non-wildcard label keeps its meaning; labels that are
 * true of any entity (`svc/*`) count matching distractors as answers. The
 * check in `check.ts` verifies both.
 *
 * @module
 */
import { Rng, type AssertBody } from "../../lib/dataset.js";
import { MERIDIAN_SCOPE, STAFF, mhn } from "./org.js";

/** Exactly this many facts: the rest of the staff are cut at the end. */
export const MERIDIAN_DISTRACTOR_COUNT = 3000;

const FIRST = "alistair bronwen caroline dominic esme femi gloria harriet imran janet kieran lorna moses nadine obinna philippa rhys sunita toby ursula vikram wendy xavier yvonne zara abimbola bogdan cerys dev efua fergus hiroshi ifeoma jasper kamal ljiljana morag nikhil orla pradeep saoirse".split(" ");
const LAST = "ahmed baxter campbell dunne evans fitzgerald goldberg hussain ibrahim jenkins khan lewis macdonald nowak okeke patel rossi singh thompson usman varghese wallace yates zielinski abara byrne connolly devlin ellison hughes".split(" ");

/** Distractor departments, with the specialty of their doctors and the kind of staff they employ. */
const DEPTS: readonly { id: string; name: string; specialty?: string; clinical: boolean }[] = [
  { id: "neuro", name: "Neurology", specialty: "Neurology", clinical: true },
  { id: "renal", name: "Renal Medicine", specialty: "Nephrology", clinical: true },
  { id: "resp", name: "Respiratory Medicine", specialty: "Respiratory Medicine", clinical: true },
  { id: "gastro", name: "Gastroenterology", specialty: "Gastroenterology", clinical: true },
  { id: "derm", name: "Dermatology", specialty: "Dermatology", clinical: true },
  { id: "ent", name: "Ear, Nose and Throat", specialty: "Otolaryngology (ENT surgery)", clinical: true },
  { id: "ophth", name: "Ophthalmology", specialty: "Ophthalmology (medical retina)", clinical: true },
  { id: "urology", name: "Urology", specialty: "Urology", clinical: true },
  { id: "stroke", name: "Stroke Unit", specialty: "Stroke Medicine", clinical: true },
  { id: "elderly", name: "Care of the Elderly", specialty: "Geriatric Medicine", clinical: true },
  { id: "haematology", name: "Haematology", specialty: "Haematology", clinical: true },
  { id: "sexual-health", name: "Sexual Health", specialty: "Genitourinary Medicine", clinical: true },
  { id: "physio", name: "Physiotherapy", clinical: true },
  { id: "dietetics", name: "Nutrition and Dietetics", clinical: true },
  { id: "audiology", name: "Audiology", clinical: true },
  { id: "occ-health", name: "Occupational Health", specialty: "Occupational Medicine", clinical: true },
  { id: "informatics", name: "Health Informatics", clinical: false },
  { id: "telecoms", name: "Telecommunications and Switchboard", clinical: false },
];
const SITE_IDS = ["nbh", "sgh", "rcc", "wlc", "hpc"];
/** Other premises of the network: the same site relations on other sites. */
const SITES: readonly { id: string; name: string; type: string; address: string; beds?: number; switchboard?: string }[] = [
  { id: "kingsgate", name: "Kingsgate Rehabilitation Hospital", type: "community hospital", address: "Kingsgate Road, Eastmoor EM5 2KR", beds: 48, switchboard: "01632 960510" },
  { id: "harbour-view", name: "Harbour View Hospice", type: "hospice (partner)", address: "7 Lighthouse Lane, Northport NP3 1HV", beds: 14, switchboard: "01632 960520" },
  { id: "eastmoor-birth", name: "Eastmoor Birth Centre", type: "midwife-led unit", address: "2 Station Approach, Eastmoor EM2 8BC", beds: 6, switchboard: "01632 960530" },
  { id: "quayside-dialysis", name: "Quayside Dialysis Unit", type: "satellite dialysis unit", address: "Unit 9, Quayside Retail Park, Northport NP1 9QD", beds: 20, switchboard: "01632 960540" },
  { id: "moorfield", name: "Moorfield Health Centre", type: "outpatient clinic", address: "Moorfield Square, Westlake WL2 5MF", switchboard: "01632 960550" },
  { id: "stores-depot", name: "Central Stores and Sterile Services Depot", type: "warehouse", address: "Ironworks Way, Northport NP4 6SD" },
  { id: "archive-store", name: "Medical Records Archive", type: "records store", address: "Unit 2, Brickfield Estate, Eastmoor EM6 3RA" },
  { id: "training-centre", name: "Education and Simulation Centre", type: "training centre", address: "College Road, Northport NP2 4EC", switchboard: "01632 960570" },
];
const ACUTE = ["nbh", "sgh"];
const SITE_LABEL: Record<string, string> = { nbh: "NBH", sgh: "SGH", rcc: "RCC", wlc: "Westlake", hpc: "Hillside" };

const CLINICAL_TITLES = ["Staff Nurse", "Senior Staff Nurse", "Healthcare Assistant", "Specialty Registrar", "Foundation Doctor (FY2)", "Clinical Nurse Specialist", "Medical Secretary", "Consultant", "Consultant", "Advanced Nurse Practitioner", "Physiotherapist", "Dietitian", "Radiographer", "Pharmacist", "Biomedical Scientist"];
const IT_TITLES = ["Integration Engineer", "Database Administrator", "Network Engineer", "Systems Administrator", "Service Desk Analyst", "Applications Analyst", "Information Security Analyst", "Clinical Systems Trainer", "Telecoms Engineer", "Switchboard Supervisor"];
const LANGUAGES = ["Polish", "Urdu", "Punjabi", "Welsh", "Romanian", "Portuguese", "Spanish", "Arabic", "Tamil", "Malayalam", "Tagalog", "Yoruba", "Somali", "French", "Gujarati", "Lithuanian"];
const SHIFTS = ["Long days (07:30–20:00), three per week", "Nights, four per fortnight", "Days, Monday to Friday", "Rotating days and nights", "Early and late shifts", "Twilight shifts, 17:00–23:00", "Nights only, 20:00–08:00"];
const AKAS = ["Ali", "Bron", "Dom", "Pip", "Nik", "Jas", "Kam", "Vik", "Ife", "Toby"];

const FLOORS = ["Ground floor", "Level 1", "Level 2", "Level 3", "Level 4"];
const WINGS = ["East Wing", "West Wing", "North Wing", "Block A", "Block B", "Block C"];
const WARD_NAMES = "falcon oak maple swift robin osprey rowan hazel lark wren cedar birch elm kingfisher magpie linnet alder beech curlew plover".split(" ");

const RUNS_ON = [
  "PostgreSQL 14 on Red Hat Enterprise Linux 8", "PostgreSQL 15 (Azure managed)", "PostgreSQL 13 on Ubuntu 20.04", "Microsoft SQL Server 2019",
  "Microsoft SQL Server 2016", "Oracle Database 19c", "Oracle Database 12c (extended support)", "InterSystems IRIS 2022.1", "MySQL 8.0 on Ubuntu 22.04",
  "Windows Server 2019", "Vendor-hosted (SaaS)", "Kubernetes cluster (on-premises)", "MongoDB 6 replica set",
];
const TIERS = ["P1 – life-critical", "P2 – clinically important", "P2 – clinically important", "P3 – business", "P3 – business"];
const RTOS = ["30 minutes", "1 hour", "2 hours", "4 hours", "8 hours", "24 hours", "1 business day"];
const DATA_CLASSES = ["Patient-identifiable, special category", "Patient-identifiable, special category", "Staff personal data", "Non-personal", "Pseudonymised patient data", "Commercially sensitive"];
const WINDOWS = ["Sundays 02:00–04:00", "Mondays 22:00–23:00", "Second Tuesday of the month, 21:00–23:00", "Thursdays 01:00–02:00", "Saturdays 20:00–22:00", "Last Sunday of the month, 00:00–04:00"];
const SLAS = ["99.5%", "99.9%", "99.95%", "99%", "99.99%"];

/** Distractor systems: id, what it does, display name (when the CMDB has one). */
const SYSTEMS: readonly { id: string; desc: string; display?: string }[] = [
  { id: "rtls", desc: "Real-time location of wheelchairs, pumps and beds through ceiling sensors.", display: "TrackWell RTLS" },
  { id: "theatres", desc: "Operating theatre lists, case timings and surgical safety checklists.", display: "TheatreMan" },
  { id: "endo-rep", desc: "Endoscopy reporting with images from the scopes." },
  { id: "e-obs", desc: "Electronic observations: nurses record vital signs at the bedside and early warning scores are calculated.", display: "ObsPoint" },
  { id: "mdt-hub", desc: "Prepares multidisciplinary team meeting lists and records outcomes." },
  { id: "e-rs", desc: "Receives electronic referrals from GP practices." },
  { id: "pas", desc: "Patient administration: demographics, admissions and outpatient attendances for the community clinics.", display: "Legacy PAS" },
  { id: "dms", desc: "Scanned paper records and document management." },
  { id: "porter-dispatch", desc: "Sends porter jobs to handheld devices and tracks completion." },
  { id: "tms", desc: "Telephony: desk phones, call recording and the switchboard consoles." },
  { id: "cctv", desc: "Security cameras and recording for car parks and entrances." },
  { id: "bms", desc: "Building management: heating, ventilation and theatre air handling alarms." },
  { id: "rostering", desc: "Staff rosters, bank shifts and annual leave requests for nursing.", display: "RotaMax" },
  { id: "eprom", desc: "Patient-reported outcome questionnaires sent before and after surgery." },
  { id: "cath-rep", desc: "Structured reports for cardiac catheter procedures." },
  { id: "digipath", desc: "Scans glass slides so pathologists can report from a screen.", display: "SlideView" },
  { id: "rt-plan", desc: "Radiotherapy treatment planning and dose calculation." },
  { id: "stock-ctl", desc: "Stock control for theatres and wards: orders, deliveries and expiry dates." },
  { id: "mail-relay", desc: "Relays email from clinical systems to staff and GP practices." },
  { id: "follow-me-print", desc: "Secure printing: jobs are released by badge at any printer." },
  { id: "backup", desc: "Nightly backups of servers and databases to the secondary site." },
  { id: "ad-ds", desc: "Directory of staff accounts, groups and workstation policies." },
  { id: "siem", desc: "Collects security logs and raises alerts for the security team." },
  { id: "mdm", desc: "Manages staff phones and tablets: enrolment, apps and remote wipe." },
  { id: "tele-derm", desc: "Dermatology photos from GP practices for remote triage.", display: "SkinSnap" },
  { id: "dental-img", desc: "Dental X-ray capture for the maxillofacial clinic." },
  { id: "physio-notes", desc: "Therapy notes and exercise plans for physiotherapists." },
  { id: "diet-req", desc: "Patient meal requests and special diets sent to the kitchens." },
  { id: "sterile-track", desc: "Tracks surgical instrument trays through decontamination." },
  { id: "int-hub", desc: "Secondary integration hub for the community clinics' messages.", display: "LinkHub" },
];

const VENDORS: readonly { id: string; name: string }[] = [
  { id: "orchard", name: "Orchard Clinical Systems" }, { id: "quillon", name: "Quillon Software" }, { id: "stratusmed", name: "StratusMed" },
  { id: "kinetica", name: "Kinetica Health" }, { id: "bluepeak", name: "Bluepeak IT Services" }, { id: "sentinelle", name: "Sentinelle Security" },
  { id: "harbourline", name: "Harbourline Telecom" }, { id: "redwood-clinical", name: "Redwood Clinical" }, { id: "tessellate", name: "Tessellate Imaging" },
  { id: "azimuth", name: "Azimuth Medical" }, { id: "penrose", name: "Penrose Data" }, { id: "maplehurst", name: "Maplehurst Facilities Technology" },
];
const EXT_PEOPLE: readonly { id: string; name: string; title: string }[] = [
  { id: "jparsons", name: "James Parsons", title: "Account Manager" }, { id: "rokoro", name: "Ruth Okoro", title: "Technical Account Manager" },
  { id: "lbailey", name: "Liam Bailey", title: "Customer Success Manager" }, { id: "sfinch", name: "Sarah Finch", title: "Account Director" },
  { id: "dmoyo", name: "Daniel Moyo", title: "Field Service Engineer" }, { id: "hlarsen", name: "Hanne Larsen", title: "Account Manager" },
];

const DEVICE_MODELS = [
  "Aurora 1.5T MRI scanner", "Vertex 64-slice CT scanner", "Ultrasound system, general imaging", "Volumetric infusion pump", "Syringe driver",
  "Intensive care ventilator", "Transport ventilator", "Defibrillator with pacing", "Patient monitor, bedside", "Anaesthetic machine",
  "Haemodialysis machine", "Flexible video endoscope", "Mobile X-ray unit", "Blood gas analyser", "Vaccine refrigerator", "Electrosurgical generator",
];
const ROOMS = ["Theatre 4", "Theatre 7", "Outpatients, Room 12", "Renal Unit, bay 3", "Endoscopy Suite", "Stroke Unit, bed 9", "Physiotherapy gym", "Radiology, X-ray Room 3", "Dialysis Unit, station 6", "Day Surgery Unit", "Eye Clinic, Room 2", "Audiology booth 1"];

const CHANGE_VERBS = ["Upgrade", "Patch", "Migrate", "Decommission", "Reconfigure", "Add monitoring to", "Renew certificates on", "Move the database of"];
const CHANGE_STATUS = ["approved", "scheduled", "completed", "completed", "rejected", "awaiting CAB", "rolled back"];
const RISKS = ["low", "low", "medium", "medium", "high"];
const INCIDENT_TITLES = [
  "Logins slow on shared workstations", "Messages stuck in the outbound queue", "Reports not printing on the wards", "Screens frozen in outpatients",
  "Alerts not reaching the on-call phone", "Overnight job failed", "Data missing after the upgrade", "Network drop in the East Wing",
  "Duplicate records created", "Certificate expired on the web front end",
];
const ROOT_CAUSES = [
  "A full disk on the database server stopped writes.", "An expired certificate broke the connection to the integration hub.",
  "A failed network switch in the comms room isolated the servers.", "A vendor patch changed a configuration default.",
  "A scheduled job overlapped with the nightly backup.", "Human error during a manual data fix.", "Memory exhaustion after a traffic spike.",
  "A DNS record was removed during a clean-up.", "Under investigation.",
];
const INC_STATUS = ["resolved", "resolved", "resolved", "monitoring", "open"];
const SEVERITIES = ["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3"];
const NOTICES = ["1 month", "3 months", "6 months", "9 months", "12 months"];

const COMMITTEES: readonly { id: string; name: string; meets: string }[] = [
  { id: "resus", name: "Resuscitation Committee", meets: "Every other month, first Tuesday, 13:00" },
  { id: "falls", name: "Falls Prevention Group", meets: "Monthly, third Wednesday, 10:00, SGH education centre" },
  { id: "igg", name: "Information Governance Group", meets: "Quarterly, on Teams" },
  { id: "mdg", name: "Medical Devices Group", meets: "Monthly, second Monday, 15:00" },
  { id: "tug", name: "Theatre Users Group", meets: "Weekly on Thursdays at 08:00" },
  { id: "pec", name: "Patient Experience Committee", meets: "Quarterly, last Thursday of the quarter" },
];
const POLICY_TITLES = [
  "Records Retention Policy", "Fire Safety Policy", "Lone Working Policy", "Consent to Examination and Treatment", "Safeguarding Adults Policy",
  "Safeguarding Children Policy", "Management of Sharps Injuries", "Medical Devices Training Policy", "Data Protection Policy", "Email and Messaging Standard",
  "Incident Reporting Policy", "Visitor Policy", "Waste Management Policy", "Chaperone Policy", "Mobile Device Policy",
  "Falls Prevention Policy", "Pressure Ulcer Prevention Policy", "Nutrition and Hydration Policy", "Bank and Agency Staffing Policy", "Business Continuity Policy",
];
const POLICY_PREFIXES = ["gov", "fac", "pat", "res"];

const AGENTS: readonly { id: string; purpose: string; reliability: string }[] = [
  { id: "rota-import", purpose: "Imports ward rosters and bank shifts from the rostering system.", reliability: "medium: rosters change on the day" },
  { id: "theatre-export", purpose: "Copies theatre lists and session times from the theatre system.", reliability: "high" },
  { id: "census-job", purpose: "Counts occupied beds per ward every hour for the site report.", reliability: "medium: lags admissions by up to an hour" },
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The distractor facts in load order; every fact a fresh triple (no
 * supersession, no conflicts). {@link MERIDIAN_DISTRACTOR_COUNT} facts for
 * the default seed.
 */
export function meridianDistractors(seed = 14): AssertBody[] {
  const rng = new Rng(seed);
  const out: AssertBody[] = [];
  const src = (a: string) => mhn(`agent/${a}`);
  const add = (entity: string, relation: string, value: AssertBody["value"], source: string) =>
    out.push({ entity: mhn(entity), relation, value, source, confidence: 1.0, scope: MERIDIAN_SCOPE });
  const str = (v: string): AssertBody["value"] => ({ type: "string", v });
  const text = (v: string): AssertBody["value"] => ({ type: "text", v });
  const num = (v: number): AssertBody["value"] => ({ type: "number", v });
  const ref = (p: string): AssertBody["value"] => ({ type: "ref", v: mhn(p) });
  const date = (fromUtc: number, days: number, time = "T00:00:00Z"): AssertBody["value"] => ({
    type: "datetime",
    v: `${new Date(fromUtc + rng.int(days) * 86_400_000).toISOString().slice(0, 10)}${time}`,
  });
  const hris = src("hris-feed");
  const cmdb = src("cmdb-sync");
  const paging = src("paging-bot");

  // People: distinct first-last pairs, shuffled. The first of each department heads it; the
  // informatics and telecoms staff are the systems' on-call engineers and admins.
  const pairs: [string, string][] = [];
  for (const f of FIRST) for (const l of LAST) pairs.push([f, l]);
  for (let k = pairs.length - 1; k > 0; k--) {
    const j = rng.int(k + 1);
    [pairs[k], pairs[j]] = [pairs[j]!, pairs[k]!];
  }
  const people = pairs.slice(0, 170);
  const staffId = (i: number) => `staff/${people[i]![0]}-${people[i]![1]}`;
  const deptOf = (i: number) => DEPTS[i % DEPTS.length]!;
  const headOf = (d: number) => d; // person d heads department d
  const itPeople = people.map((_, i) => i).filter((i) => !deptOf(i).clinical && i >= DEPTS.length).slice(0, 12);
  const nurses = people.map((_, i) => i).filter((i) => deptOf(i).clinical && i >= DEPTS.length);

  // Departments.
  DEPTS.forEach((d, k) => {
    const e = `dept/${d.id}`;
    add(e, "org:name", str(d.name), hris);
    add(e, "org:head", ref(staffId(headOf(k))), hris);
    add(e, "org:located_at", ref(`site/${rng.pick(SITE_IDS)}`), hris);
    add(e, "fin:cost_centre", str(`CC-${3400 + k * 37}`), hris);
    add(e, "contact:ext", str(`x${5100 + k * 13}`), hris);
  });

  // Other premises.
  for (const site of SITES) {
    const e = `site/${site.id}`;
    add(e, "org:name", str(site.name), src("estates-bot"));
    add(e, "site:type", str(site.type), src("estates-bot"));
    add(e, "geo:address", str(site.address), src("estates-bot"));
    if (site.beds !== undefined) add(e, "beds", num(site.beds), src("estates-bot"));
    if (site.switchboard !== undefined) add(e, "site:switchboard", str(site.switchboard), src("estates-bot"));
  }

  // Wards, managed by clinical staff of the distractor departments.
  WARD_NAMES.forEach((w, k) => {
    const e = `ward/${w}`;
    const site = rng.pick(ACUTE);
    add(e, "org:name", str(`${cap(w)} Ward`), src("estates-bot"));
    add(e, "org:located_at", ref(`site/${site}`), src("estates-bot"));
    add(e, "loc:floor", str(`${rng.pick(FLOORS)}, ${rng.pick(WINGS)}`), src("estates-bot"));
    add(e, "beds", num(10 + rng.int(25)), src("estates-bot"));
    add(e, "ward_manager", ref(staffId(nurses[k]!)), src("estates-bot"));
    add(e, "contact:ext", str(`x${6100 + k * 7}`), src("estates-bot"));
  });

  // Suppliers and their account managers.
  VENDORS.forEach((v, k) => {
    const e = `vendor/${v.id}`;
    add(e, "org:name", str(v.name), src("procurement-sync"));
    add(e, "vendor:support_line", str(`+44 ${rng.pick(["20 7946", "161 496", "113 496", "121 496", "117 496"])} ${String(1000 + rng.int(8999)).padStart(4, "0")}`), src("procurement-sync"));
    if (k < EXT_PEOPLE.length) add(e, "vendor:account_manager", ref(`ext/${EXT_PEOPLE[k]!.id}`), src("procurement-sync"));
  });
  EXT_PEOPLE.forEach((x, k) => {
    const e = `ext/${x.id}`;
    add(e, "hr:full_name", str(x.name), src("procurement-sync"));
    add(e, "hr:title", str(x.title), src("procurement-sync"));
    add(e, "ext:employer", ref(`vendor/${VENDORS[k]!.id}`), src("procurement-sync"));
    add(e, "contact:mobile", str(`+44 7700 900${String(700 + k * 17)}`), src("procurement-sync"));
    add(e, "contact:email", str(`${x.name.toLowerCase().replace(" ", ".")}@${VENDORS[k]!.id}.example`), src("procurement-sync"));
  });

  // Systems.
  SYSTEMS.forEach((s, k) => {
    const e = `svc/${s.id}`;
    if (s.display !== undefined) add(e, "display_name", str(s.display), cmdb);
    add(e, "svc:desc", text(s.desc), cmdb);
    add(e, "svc_owner", ref(`dept/${rng.next() < 0.6 ? "informatics" : rng.pick(DEPTS).id}`), cmdb);
    add(e, "infra:runs_on", str(rng.pick(RUNS_ON)), cmdb);
    add(e, "infra:hosted_at", ref(rng.next() < 0.8 ? `site/${rng.pick(["dc1", "dc1", "dc2"])}` : `vendor/${rng.pick(VENDORS).id}`), cmdb);
    add(e, "ops:tier", str(rng.pick(TIERS)), cmdb);
    const vendor = rng.pick(VENDORS);
    add(e, "procurement:vendor", ref(`vendor/${vendor.id}`), cmdb);
    if (rng.next() < 0.7) add(e, "sw_version", str(`${s.display ?? cap(vendor.id)} ${1 + rng.int(12)}.${rng.int(10)}`), cmdb);
    add(e, "dr:rto", str(rng.pick(RTOS)), cmdb);
    add(e, "dataClass", str(rng.pick(DATA_CLASSES)), cmdb);
    add(e, "ops:runbook", str(`https://wiki.mhn-health.example/it/runbooks/${s.id}`), cmdb);
    if (rng.next() < 0.5) add(e, "access:admin", ref(staffId(rng.pick(itPeople))), cmdb);
    if (rng.next() < 0.5) add(e, "ops:maint_window", str(rng.pick(WINDOWS)), cmdb);
    if (rng.next() < 0.5) add(e, "sla_uptime", str(rng.pick(SLAS)), cmdb);
    add(e, "has-oncall", ref(staffId(itPeople[k % itPeople.length]!)), paging);
    if (rng.next() < 0.7) add(e, "ops:escalation", ref(staffId(headOf(DEPTS.findIndex((d) => d.id === "informatics")))), paging);
  });

  // Interfaces between distractor systems, some through the secondary hub.
  for (let k = 0; k < 20; k++) {
    const from = SYSTEMS[(k * 7) % SYSTEMS.length]!.id;
    const to = SYSTEMS[(k * 11 + 5) % SYSTEMS.length]!.id;
    const kind = rng.pick(["events", "docs", "data", "notif", "msgs"]);
    const e = `iface/${from}-${to}-${kind}`;
    add(e, "if:from", ref(`svc/${from}`), src("iface-registry"));
    add(e, "if:to", ref(`svc/${to}`), src("iface-registry"));
    add(e, "if:msg", str(rng.pick(["HL7 v2 ADT^A01–A08 patient demographics", "HL7 v2 ORU^R01 results", "FHIR R4 documents", "CSV file over SFTP, nightly", "HL7 v2 MDM^T02 documents", "REST JSON events", "HL7 v2 SIU^S12 appointment bookings"])), src("iface-registry"));
    if (from !== "int-hub" && to !== "int-hub" && rng.next() < 0.6) add(e, "if:via", ref("svc/int-hub"), src("iface-registry"));
  }

  // Contracts.
  for (let k = 0; k < 22; k++) {
    const e = `contract/ct-${3101 + k * 7}`;
    const vendor = VENDORS[k % VENDORS.length]!;
    add(e, "contract:vendor", ref(`vendor/${vendor.id}`), src("procurement-sync"));
    add(e, "contract:covers", ref(`svc/${SYSTEMS[(k * 3) % SYSTEMS.length]!.id}`), src("procurement-sync"));
    add(e, "contract:renewal_date", date(Date.UTC(2027, 0, 1), 1100), src("procurement-sync"));
    add(e, "contract:annual_value_gbp", num((2 + rng.int(120)) * 5_000), src("procurement-sync"));
    add(e, "contract:notice_period", str(rng.pick(NOTICES)), src("procurement-sync"));
  }

  // Medical devices, by asset tag.
  for (let k = 0; k < 40; k++) {
    const e = `device/at-${50_113 + k * 29}`;
    const site = rng.pick(ACUTE);
    const model = rng.pick(DEVICE_MODELS);
    add(e, "asset:model", str(model), src("biomed-assets"));
    add(e, "asset:serial", str(`${model.slice(0, 3).toUpperCase()}-${10_000 + rng.int(89_999)}`), src("biomed-assets"));
    add(e, "loc:room", str(`${SITE_LABEL[site]} ${rng.pick(ROOMS)}`), src("biomed-assets"));
    add(e, "asset:custodian", ref(`dept/${rng.pick(DEPTS).id}`), src("biomed-assets"));
    add(e, "biomed:next_ppm", date(Date.UTC(2026, 11, 1), 400), src("biomed-assets"));
  }

  // Change requests.
  for (let k = 0; k < 30; k++) {
    const e = `chg/chg-${11_002 + k * 13}`;
    const s = rng.pick(SYSTEMS);
    add(e, "chg:summary", text(`${rng.pick(CHANGE_VERBS)} the ${s.display ?? s.id.replace(/-/g, " ")} ${rng.pick(["system", "servers", "service", "database"])}`), src("change-board"));
    add(e, "chg:scheduled_for", date(Date.UTC(2026, 8, 1), 240, `T${String(18 + rng.int(6)).padStart(2, "0")}:00:00Z`), src("change-board"));
    add(e, "chg:approved_by", ref(staffId(rng.pick(itPeople))), src("change-board"));
    add(e, "chg:affects", ref(`svc/${s.id}`), src("change-board"));
    add(e, "chg:risk", str(rng.pick(RISKS)), src("change-board"));
    add(e, "chg:status", str(rng.pick(CHANGE_STATUS)), src("change-board"));
  }

  // Incidents.
  for (let k = 0; k < 20; k++) {
    const e = `inc/inc-${1_003 + k * 11}`;
    const s = rng.pick(SYSTEMS);
    add(e, "inc:title", str(`${rng.pick(INCIDENT_TITLES)} (${s.display ?? s.id})`), src("incident-log"));
    add(e, "inc:severity", str(rng.pick(SEVERITIES)), src("incident-log"));
    add(e, "inc:commander", ref(staffId(rng.pick(itPeople))), src("incident-log"));
    add(e, "inc:root_cause", text(rng.pick(ROOT_CAUSES)), src("incident-log"));
    add(e, "inc:affected", ref(`svc/${s.id}`), src("incident-log"));
    add(e, "inc:opened_at", date(Date.UTC(2026, 0, 1), 330, `T${String(rng.int(24)).padStart(2, "0")}:${String(rng.int(60)).padStart(2, "0")}:00Z`), src("incident-log"));
    add(e, "inc:status", str(rng.pick(INC_STATUS)), src("incident-log"));
  }

  // Committees and policies.
  COMMITTEES.forEach((c) => {
    const e = `cmte/${c.id}`;
    add(e, "org:name", str(c.name), src("policy-library"));
    add(e, "cmte:chair", ref(staffId(rng.int(DEPTS.length))), src("policy-library"));
    add(e, "cmte:meets", str(c.meets), src("policy-library"));
  });
  POLICY_TITLES.forEach((t, k) => {
    const e = `policy/${POLICY_PREFIXES[k % POLICY_PREFIXES.length]}-${101 + k}`;
    add(e, "policy:title", str(t), src("policy-library"));
    add(e, "policy:owner", ref(staffId(rng.int(60))), src("policy-library"));
    add(e, "policy:next_review", date(Date.UTC(2026, 10, 1), 1000), src("policy-library"));
    add(e, "policy:version", str(`v${1 + rng.int(9)}${rng.next() < 0.3 ? `.${1 + rng.int(4)}` : ""}`), src("policy-library"));
  });

  AGENTS.forEach((a) => {
    const e = `agent/${a.id}`;
    add(e, "agent:purpose", text(a.purpose), cmdb);
    add(e, "src:reliability", str(a.reliability), cmdb);
    add(e, "agent:run_by", ref(`dept/${rng.pick(DEPTS).id}`), cmdb);
  });

  // Staff last, so the cut to the exact count only shortens the tail of the staff list.
  // No distractor shares a bleep number with a labelled person.
  const pagers = new Set<number>(STAFF.flatMap((p) => (p.pager === undefined ? [] : [Number(p.pager.replace("Bleep ", ""))])));
  for (let i = 0; i < people.length; i++) {
    const [first, last] = people[i]!;
    const d = deptOf(i);
    const e = staffId(i);
    const isHead = i < DEPTS.length;
    const title = isHead ? (d.clinical ? `Clinical Lead, ${d.name}` : `Head of ${d.name}`) : d.clinical ? rng.pick(CLINICAL_TITLES) : rng.pick(IT_TITLES);
    const doctor = d.specialty !== undefined && (isHead || title.startsWith("Consultant") || title.includes("Registrar") || title.includes("Doctor"));
    const nurse = title.includes("Nurse") || title.includes("Healthcare Assistant");
    add(e, "hr:full_name", str(`${doctor ? "Dr " : ""}${cap(first)} ${cap(last)}`), hris);
    add(e, "hr:title", str(title.startsWith("Consultant") && d.specialty !== undefined ? `Consultant in ${d.specialty.replace(/ \(.*\)$/, "")}` : title), hris);
    add(e, "hr:dept", ref(`dept/${d.id}`), hris);
    add(e, "hr:site", ref(`site/${rng.pick(SITE_IDS)}`), hris);
    if (!isHead) add(e, "hr:reports_to", ref(staffId(headOf(i % DEPTS.length))), hris);
    add(e, "hr:hire_date", date(Date.UTC(2004, 0, 1), 22 * 365), hris);
    add(e, "contact:email", str(`${first}.${last}@mhn-health.example`), hris);
    add(e, "contact:ext", str(`x${9100 + i}`), hris);
    if (rng.next() < 0.65) {
      let p = 2400 + rng.int(7000);
      while (pagers.has(p)) p += 1;
      pagers.add(p);
      add(e, "contact:pager", str(`Bleep ${p}`), paging);
    }
    if (doctor) add(e, "clin:specialty", str(d.specialty!), hris);
    if (doctor) add(e, "cred:registration", str(`GMC ${String(4_000_000 + rng.int(3_999_999))}`), hris);
    else if (nurse || rng.next() < 0.3) add(e, "cred:registration", str(nurse ? `NMC ${String(10 + rng.int(89))}${String.fromCharCode(65 + rng.int(12))}${String(1000 + rng.int(8999))}E` : `HCPC ${rng.pick(["PH", "DT", "RA", "BS"])}${String(100_000 + rng.int(899_999))}`), hris);
    if (rng.next() < 0.45) add(e, "languagesSpoken", str(`English, ${rng.pick(LANGUAGES)}`), hris);
    if (nurse && rng.next() < 0.7) add(e, "shift_pattern", str(rng.pick(SHIFTS)), hris);
    if (rng.next() < 0.08) add(e, "hr:aka", str(rng.pick(AKAS)), hris);
  }
  if (out.length < MERIDIAN_DISTRACTOR_COUNT) throw new Error(`only ${out.length} distractor facts generated; raise the staff count`);
  return out.slice(0, MERIDIAN_DISTRACTOR_COUNT);
}
