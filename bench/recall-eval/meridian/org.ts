/**
 * The held-out evaluation organisation: Meridian Health Network (`mhn`), a
 * regional hospital network — two acute hospitals, a cancer centre, two
 * community clinics and two data centres; clinical departments and wards,
 * the clinical information systems and the interfaces between them, their
 * vendors and contracts, medical equipment, change requests, incidents,
 * committees, policies and the agents that write the memory.
 *
 * HELD OUT: written before any tuning of recall against it, to measure
 * whether recall generalises beyond the Acme set. Never change it (data,
 * labels or questions) to fit what the code does.
 *
 * The facts are written the way the systems of such an organisation would
 * write them: abbreviated identifiers (`svc/pay-gw`, `dept/icu`, `site/nbh`),
 * relation names from several sources and conventions (`hr:reports_to`,
 * `svc_owner`, `has-oncall`, `ops:runbook`, `languagesSpoken`, `beds`), and
 * long names only where a source states them (`org:name`, `display_name`,
 * `hr:full_name`, `hr:aka`). Multi-valued relationships (interfaces between
 * systems) are reified entities, because a triple holds one value per source
 * (protocol.md §6).
 *
 * {@link meridianFacts} returns the initial load and then a few same-source
 * updates (an on-call handover, a promotion, a database upgrade, a site move,
 * status changes) so only the current value counts.
 *
 * @module
 */
import type { AssertBody } from "../../lib/dataset.js";

/** Every entity and source URI of the set lives under this authority. */
export const MERIDIAN = "stigmem://mhn";
/** All facts are written to, and recalled from, this scope. */
export const MERIDIAN_SCOPE = "company";

/** `kind/id` → `stigmem://mhn/kind/id`. */
export function mhn(path: string): string {
  return `${MERIDIAN}/${path}`;
}

const SRC = {
  hris: mhn("agent/hris-feed"),
  paging: mhn("agent/paging-bot"),
  cmdb: mhn("agent/cmdb-sync"),
  estates: mhn("agent/estates-bot"),
  ifaces: mhn("agent/iface-registry"),
  procurement: mhn("agent/procurement-sync"),
  biomed: mhn("agent/biomed-assets"),
  changes: mhn("agent/change-board"),
  incidents: mhn("agent/incident-log"),
  policies: mhn("agent/policy-library"),
  chat: mhn("agent/teams-scraper"),
} as const;

// ───────────────────────────── staff ─────────────────────────────

interface Staff {
  id: string;
  name: string;
  title: string;
  dept: string;
  site: string;
  reportsTo: string | null;
  hired: string;
  ext: string;
  pager?: string;
  specialty?: string;
  registration?: string;
  languages?: string;
  shift?: string;
  aka?: string;
}

export const STAFF: readonly Staff[] = [
  // Executive
  { id: "eleanor-hartley", name: "Eleanor Hartley", title: "Chief Executive", dept: "exec", site: "nbh", reportsTo: null, hired: "2019-04-01", ext: "x1001" },
  { id: "ravi-menon", name: "Dr Ravi Menon", title: "Chief Medical Officer", dept: "exec", site: "nbh", reportsTo: "eleanor-hartley", hired: "2016-09-05", ext: "x1004", pager: "Bleep 1002", specialty: "Respiratory Medicine", registration: "GMC 4518822" },
  { id: "joanne-pike", name: "Joanne Pike", title: "Chief Nurse", dept: "nursing", site: "nbh", reportsTo: "eleanor-hartley", hired: "2015-02-16", ext: "x1010", registration: "NMC 86B0412E", aka: "Jo" },
  { id: "graham-whitlock", name: "Graham Whitlock", title: "Chief Information Officer", dept: "cis", site: "nbh", reportsTo: "eleanor-hartley", hired: "2020-01-13", ext: "x2200" },
  { id: "martin-keogh", name: "Martin Keogh", title: "Director of Finance", dept: "fin", site: "nbh", reportsTo: "eleanor-hartley", hired: "2017-06-19", ext: "x1030" },
  { id: "nkechi-obi", name: "Nkechi Obi", title: "Director of Workforce", dept: "workforce", site: "sgh", reportsTo: "eleanor-hartley", hired: "2018-10-01", ext: "x3100", aka: "Kechi" },
  { id: "sanjay-bhatt", name: "Sanjay Bhatt", title: "Head of Patient Flow", dept: "ops", site: "nbh", reportsTo: "eleanor-hartley", hired: "2019-08-12", ext: "x1151", pager: "Bleep 1150" },
  // Clinical
  { id: "adaeze-okonkwo", name: "Dr Adaeze Okonkwo", title: "Clinical Director, Emergency Medicine", dept: "ed", site: "nbh", reportsTo: "ravi-menon", hired: "2014-08-04", ext: "x4401", pager: "Bleep 4410", specialty: "Emergency Medicine", registration: "GMC 6034417", languages: "English, Igbo", aka: "Dr Ada" },
  { id: "arif-chowdhury", name: "Dr Arif Chowdhury", title: "Consultant in Emergency Medicine", dept: "ed", site: "nbh", reportsTo: "adaeze-okonkwo", hired: "2021-02-01", ext: "x4402", pager: "Bleep 4412", specialty: "Emergency Medicine", registration: "GMC 7201183", languages: "English, Bengali, Hindi" },
  { id: "patrick-doyle", name: "Patrick Doyle", title: "Charge Nurse, Emergency Department", dept: "ed", site: "nbh", reportsTo: "adaeze-okonkwo", hired: "2017-11-20", ext: "x4405", pager: "Bleep 4420", registration: "NMC 11A2233E", shift: "Long days and nights, rotating four on, four off" },
  { id: "tomasz-wrobel", name: "Dr Tomasz Wróbel", title: "Consultant Intensivist and ICU Clinical Lead", dept: "icu", site: "nbh", reportsTo: "ravi-menon", hired: "2013-05-13", ext: "x3310", pager: "Bleep 3301", specialty: "Intensive Care Medicine", registration: "GMC 6712390", languages: "English, Polish", aka: "Tomek" },
  { id: "mei-chen", name: "Mei Chen", title: "Senior Sister, Intensive Care", dept: "icu", site: "nbh", reportsTo: "tomasz-wrobel", hired: "2016-03-07", ext: "x3312", pager: "Bleep 3320", registration: "NMC 09I4471E", languages: "English, Mandarin, Cantonese", shift: "Long days (07:30–20:00), three per week" },
  { id: "helen-achterberg", name: "Dr Helen Achterberg", title: "Clinical Director, Radiology", dept: "rad", site: "nbh", reportsTo: "ravi-menon", hired: "2012-09-03", ext: "x5500", pager: "Bleep 5501", specialty: "Interventional Radiology", registration: "GMC 5609921", languages: "English, Dutch" },
  { id: "kirsten-vogel", name: "Dr Kirsten Vogel", title: "Consultant Radiologist", dept: "rad", site: "sgh", reportsTo: "helen-achterberg", hired: "2020-06-15", ext: "x7520", pager: "Bleep 5522", specialty: "Musculoskeletal Radiology", registration: "GMC 7388014", languages: "English, German" },
  { id: "niamh-gallagher", name: "Niamh Gallagher", title: "PACS Manager", dept: "rad", site: "nbh", reportsTo: "helen-achterberg", hired: "2018-01-08", ext: "x5541", pager: "Bleep 5540", registration: "HCPC RA071234" },
  { id: "samuel-mensah", name: "Dr Samuel Mensah", title: "Consultant Microbiologist and Head of Pathology", dept: "path", site: "nbh", reportsTo: "ravi-menon", hired: "2011-10-17", ext: "x6600", pager: "Bleep 6601", specialty: "Medical Microbiology", registration: "GMC 5233107", languages: "English, Twi", aka: "Sam" },
  { id: "jonah-whitfield", name: "Jonah Whitfield", title: "Blood Transfusion Laboratory Manager", dept: "path", site: "nbh", reportsTo: "samuel-mensah", hired: "2015-07-06", ext: "x6641", pager: "Bleep 6640", registration: "HCPC BS052871" },
  { id: "pedro-alves", name: "Pedro Alves", title: "Laboratory Information Systems Analyst", dept: "path", site: "nbh", reportsTo: "samuel-mensah", hired: "2022-04-25", ext: "x6650", pager: "Bleep 6655", languages: "English, Portuguese" },
  { id: "farah-siddiqui", name: "Farah Siddiqui", title: "Chief Pharmacist", dept: "pharm", site: "nbh", reportsTo: "ravi-menon", hired: "2016-01-11", ext: "x7700", pager: "Bleep 7701", registration: "GPhC 2064415", languages: "English, Urdu" },
  { id: "ethan-cole", name: "Ethan Cole", title: "Lead Pharmacist, Digital Medicines", dept: "pharm", site: "nbh", reportsTo: "farah-siddiqui", hired: "2021-09-06", ext: "x7742", pager: "Bleep 7740", registration: "GPhC 2210076" },
  { id: "lucia-ferraro", name: "Dr Lucia Ferraro", title: "Clinical Director, Oncology", dept: "onc", site: "rcc", reportsTo: "ravi-menon", hired: "2014-03-24", ext: "x8800", pager: "Bleep 8801", specialty: "Clinical Oncology", registration: "GMC 6318850", languages: "English, Italian" },
  { id: "meera-pillai", name: "Dr Meera Pillai", title: "Consultant Medical Oncologist", dept: "onc", site: "rcc", reportsTo: "lucia-ferraro", hired: "2019-11-04", ext: "x8812", pager: "Bleep 8815", specialty: "Medical Oncology (breast and lung cancer)", registration: "GMC 7044512", languages: "English, Malayalam" },
  { id: "rajesh-iyer", name: "Dr Rajesh Iyer", title: "Consultant Cardiologist and Head of Cardiology", dept: "card", site: "sgh", reportsTo: "ravi-menon", hired: "2013-01-21", ext: "x7900", pager: "Bleep 9901", specialty: "Cardiology (heart failure)", registration: "GMC 5871236" },
  { id: "siobhan-kelly", name: "Siobhan Kelly", title: "Sister, Coronary Care Unit", dept: "card", site: "sgh", reportsTo: "rajesh-iyer", hired: "2018-05-14", ext: "x7915", pager: "Bleep 9920", registration: "NMC 07L3318E", shift: "Nights, four per fortnight" },
  { id: "grace-mwangi", name: "Grace Mwangi", title: "Head of Midwifery", dept: "mat", site: "sgh", reportsTo: "joanne-pike", hired: "2012-06-11", ext: "x7601", pager: "Bleep 9701", registration: "NMC 04F1187W", languages: "English, Swahili" },
  { id: "chiara-bianchi", name: "Chiara Bianchi", title: "Ward Manager, Willow Ward", dept: "mat", site: "sgh", reportsTo: "grace-mwangi", hired: "2019-02-18", ext: "x7610", pager: "Bleep 9712", registration: "NMC 15C0952W", languages: "English, Italian" },
  { id: "daniel-oyelaran", name: "Mr Daniel Oyelaran", title: "Consultant Orthopaedic Surgeon and Clinical Lead for Trauma and Orthopaedics", dept: "ortho", site: "sgh", reportsTo: "ravi-menon", hired: "2015-09-28", ext: "x7800", pager: "Bleep 9801", specialty: "Trauma and Orthopaedic Surgery (hip and knee)", registration: "GMC 6455021", languages: "English, Yoruba" },
  { id: "viktor-horak", name: "Viktor Horák", title: "Ward Manager, Heron Ward", dept: "ortho", site: "sgh", reportsTo: "daniel-oyelaran", hired: "2020-10-05", ext: "x7810", pager: "Bleep 9815", registration: "NMC 18H0431E", languages: "English, Czech, Slovak" },
  { id: "ines-carvalho", name: "Dr Inês Carvalho", title: "Consultant Paediatrician and Paediatrics Lead", dept: "paeds", site: "nbh", reportsTo: "ravi-menon", hired: "2017-04-03", ext: "x4700", pager: "Bleep 4701", specialty: "Paediatrics (neonatology)", registration: "GMC 6990147", languages: "English, Portuguese, Spanish" },
  { id: "fiona-grant", name: "Fiona Grant", title: "Ward Manager, Kestrel Ward", dept: "paeds", site: "nbh", reportsTo: "ines-carvalho", hired: "2014-12-01", ext: "x4710", pager: "Bleep 4715", registration: "NMC 03D2219E" },
  { id: "rosa-delgado", name: "Rosa Delgado", title: "Ward Manager, Acute Medical Unit", dept: "nursing", site: "nbh", reportsTo: "joanne-pike", hired: "2018-08-20", ext: "x3108", pager: "Bleep 3105", registration: "NMC 12E1180E", languages: "English, Spanish", shift: "Days, Monday to Friday" },
  { id: "hannah-brody", name: "Hannah Brody", title: "Nurse Consultant, Infection Prevention and Control", dept: "ipc", site: "nbh", reportsTo: "joanne-pike", hired: "2013-07-15", ext: "x2210", pager: "Bleep 2201", registration: "NMC 99K0021E" },
  { id: "gwen-roberts", name: "Gwen Roberts", title: "Infection Prevention Nurse", dept: "ipc", site: "sgh", reportsTo: "hannah-brody", hired: "2022-01-17", ext: "x7215", pager: "Bleep 2215", registration: "NMC 20A1732E", languages: "English, Welsh" },
  // Clinical Information Systems (IT)
  { id: "beatrice-nwosu", name: "Beatrice Nwosu", title: "EHR Applications Manager", dept: "cis", site: "nbh", reportsTo: "graham-whitlock", hired: "2017-05-02", ext: "x2305", pager: "Bleep 2301", languages: "English, Igbo", aka: "Bea" },
  { id: "declan-murphy", name: "Declan Murphy", title: "Head of IT Infrastructure and Operations", dept: "cis", site: "nbh", reportsTo: "graham-whitlock", hired: "2014-10-20", ext: "x2320", pager: "Bleep 2321" },
  { id: "yuki-tanabe", name: "Dr Yuki Tanabe", title: "Chief Clinical Information Officer and Clinical Safety Officer", dept: "cis", site: "nbh", reportsTo: "ravi-menon", hired: "2021-05-10", ext: "x2340", pager: "Bleep 2341", specialty: "General Practice", registration: "GMC 7155028", languages: "English, Japanese" },
  { id: "kwame-asante", name: "Kwame Asante", title: "Integration Engineer", dept: "cis", site: "nbh", reportsTo: "beatrice-nwosu", hired: "2019-03-18", ext: "x2333", pager: "Bleep 2334", languages: "English, Twi" },
  { id: "zainab-bello", name: "Zainab Bello", title: "Clinical Systems Trainer", dept: "cis", site: "sgh", reportsTo: "beatrice-nwosu", hired: "2022-09-12", ext: "x7230", languages: "English, Hausa" },
  { id: "marta-kowalczyk", name: "Marta Kowalczyk", title: "Database Administrator", dept: "cis", site: "nbh", reportsTo: "declan-murphy", hired: "2018-06-25", ext: "x2351", pager: "Bleep 2350", languages: "English, Polish" },
  { id: "thomas-reddy", name: "Thomas Reddy", title: "Network Engineer", dept: "cis", site: "nbh", reportsTo: "declan-murphy", hired: "2020-02-03", ext: "x2362", pager: "Bleep 2360", aka: "Tom" },
  { id: "callum-fraser", name: "Callum Fraser", title: "Senior Systems Administrator", dept: "cis", site: "nbh", reportsTo: "declan-murphy", hired: "2016-11-14", ext: "x2371", pager: "Bleep 2370" },
  { id: "aisha-rahman", name: "Aisha Rahman", title: "Service Desk Team Leader", dept: "cis", site: "nbh", reportsTo: "declan-murphy", hired: "2019-07-29", ext: "x2000", languages: "English, Bengali" },
  { id: "leila-farouk", name: "Leila Farouk", title: "Information Security Manager", dept: "cis", site: "nbh", reportsTo: "graham-whitlock", hired: "2021-11-22", ext: "x2391", pager: "Bleep 2390", languages: "English, Arabic, French" },
  // Estates, clinical engineering, operations, workforce
  { id: "colin-marsh", name: "Colin Marsh", title: "Head of Estates and Facilities", dept: "estates", site: "nbh", reportsTo: "martin-keogh", hired: "2010-04-12", ext: "x1200", pager: "Bleep 1201" },
  { id: "gareth-pugh", name: "Gareth Pugh", title: "Estates Duty Manager", dept: "estates", site: "sgh", reportsTo: "colin-marsh", hired: "2016-08-01", ext: "x7120", pager: "Bleep 1220", shift: "On-site duty manager rota, one weekend in six" },
  { id: "owen-pryce", name: "Owen Pryce", title: "Head of Clinical Engineering", dept: "biomed", site: "nbh", reportsTo: "colin-marsh", hired: "2013-02-25", ext: "x1300", pager: "Bleep 1301" },
  { id: "lars-eriksson", name: "Lars Eriksson", title: "Senior Clinical Engineer", dept: "biomed", site: "sgh", reportsTo: "owen-pryce", hired: "2019-05-20", ext: "x7130", pager: "Bleep 1315", languages: "English, Swedish" },
  { id: "oluwaseun-adebayo", name: "Oluwaseun Adebayo", title: "Bed Manager", dept: "ops", site: "nbh", reportsTo: "sanjay-bhatt", hired: "2020-07-06", ext: "x1161", pager: "Bleep 1160", languages: "English, Yoruba", shift: "Site management rota, days 08:00–20:00", aka: "Seun" },
  { id: "tessa-quinn", name: "Tessa Quinn", title: "Patient Flow Coordinator", dept: "ops", site: "nbh", reportsTo: "sanjay-bhatt", hired: "2023-01-09", ext: "x1171", pager: "Bleep 1170" },
  { id: "ruairi-oneill", name: "Ruairí O'Neill", title: "Payroll and Pensions Manager", dept: "workforce", site: "sgh", reportsTo: "nkechi-obi", hired: "2017-03-13", ext: "x3120", languages: "English, Irish", aka: "Rory" },
];

/** People of suppliers, written by the procurement sync. */
export const EXTERNALS: readonly { id: string; name: string; title: string; employer: string; mobile: string; email: string }[] = [
  { id: "mkaur", name: "Manpreet Kaur", title: "Field Service Engineer", employer: "lumen", mobile: "+44 7700 900412", email: "m.kaur@lumen-imaging.example" },
  { id: "tschmidt", name: "Till Schmidt", title: "Technical Account Manager", employer: "halcyon", mobile: "+44 7700 900187", email: "till.schmidt@halcyon-health.example" },
  { id: "ovance", name: "Oliver Vance", title: "Network Contractor", employer: "brightwire", mobile: "+44 7700 900655", email: "oliver@brightwire.example" },
];

// ───────────────────────────── organisation ─────────────────────────────

export const DEPTS: readonly { id: string; name: string; head: string; site: string; costCentre: string; ext: string }[] = [
  { id: "exec", name: "Executive Office", head: "eleanor-hartley", site: "nbh", costCentre: "CC-1000", ext: "x1000" },
  { id: "nursing", name: "Nursing and Midwifery Directorate", head: "joanne-pike", site: "nbh", costCentre: "CC-1100", ext: "x1011" },
  { id: "cis", name: "Clinical Information Systems", head: "graham-whitlock", site: "nbh", costCentre: "CC-2200", ext: "x2201" },
  { id: "fin", name: "Finance", head: "martin-keogh", site: "nbh", costCentre: "CC-1300", ext: "x1031" },
  { id: "workforce", name: "Workforce and Organisational Development", head: "nkechi-obi", site: "sgh", costCentre: "CC-1400", ext: "x3101" },
  { id: "ops", name: "Patient Flow and Site Operations", head: "sanjay-bhatt", site: "nbh", costCentre: "CC-1500", ext: "x1155" },
  { id: "ed", name: "Emergency Department", head: "adaeze-okonkwo", site: "nbh", costCentre: "CC-4400", ext: "x4400" },
  { id: "icu", name: "Intensive Care Unit", head: "tomasz-wrobel", site: "nbh", costCentre: "CC-3300", ext: "x3300" },
  { id: "rad", name: "Radiology", head: "helen-achterberg", site: "nbh", costCentre: "CC-5500", ext: "x5502" },
  { id: "path", name: "Pathology and Laboratory Medicine", head: "samuel-mensah", site: "nbh", costCentre: "CC-6600", ext: "x6602" },
  { id: "pharm", name: "Pharmacy and Medicines Optimisation", head: "farah-siddiqui", site: "nbh", costCentre: "CC-7700", ext: "x7702" },
  { id: "onc", name: "Oncology", head: "lucia-ferraro", site: "rcc", costCentre: "CC-8800", ext: "x8801" },
  { id: "card", name: "Cardiology", head: "rajesh-iyer", site: "sgh", costCentre: "CC-7900", ext: "x7901" },
  { id: "mat", name: "Maternity Services", head: "grace-mwangi", site: "sgh", costCentre: "CC-7600", ext: "x7600" },
  { id: "ortho", name: "Trauma and Orthopaedics", head: "daniel-oyelaran", site: "sgh", costCentre: "CC-7850", ext: "x7801" },
  { id: "paeds", name: "Paediatrics", head: "ines-carvalho", site: "nbh", costCentre: "CC-4750", ext: "x4702" },
  { id: "ipc", name: "Infection Prevention and Control", head: "hannah-brody", site: "nbh", costCentre: "CC-2250", ext: "x2211" },
  { id: "estates", name: "Estates and Facilities", head: "colin-marsh", site: "nbh", costCentre: "CC-1200", ext: "x1202" },
  { id: "biomed", name: "Clinical Engineering (Biomedical Engineering)", head: "owen-pryce", site: "nbh", costCentre: "CC-1250", ext: "x1302" },
];

export const SITES: readonly { id: string; name: string; type: string; address: string; beds?: number; switchboard?: string }[] = [
  { id: "nbh", name: "North Bay Hospital", type: "acute hospital", address: "1 Harbour Road, Northport NP1 4QA", beds: 420, switchboard: "01632 960100" },
  { id: "sgh", name: "St Giles Hospital", type: "acute hospital", address: "Giles Lane, Eastmoor EM3 9TT", beds: 310, switchboard: "01632 960200" },
  { id: "rcc", name: "Riverside Cancer Centre", type: "specialist cancer centre", address: "Riverside Walk, Northport NP2 7RC", beds: 64, switchboard: "01632 960300" },
  { id: "wlc", name: "Westlake Community Clinic", type: "outpatient clinic", address: "14 Westlake Parade, Westlake WL4 2AB", switchboard: "01632 960400" },
  { id: "hpc", name: "Hillside Primary Care Centre", type: "outpatient clinic", address: "Hillside Road, Eastmoor EM1 6HP", switchboard: "01632 960450" },
  { id: "dc1", name: "Northport Data Centre", type: "data centre", address: "Unit 4, Quayside Business Park, Northport NP1 9DX" },
  { id: "dc2", name: "St Giles Server Room", type: "data centre (secondary)", address: "Basement B, St Giles Hospital, Giles Lane, Eastmoor EM3 9TT" },
];

export const WARDS: readonly { id: string; name: string; site: string; floor: string; beds: number; manager?: string; ext: string }[] = [
  { id: "a3", name: "Ward A3, Acute Medical Unit", site: "nbh", floor: "Level 3, Block A", beds: 32, manager: "rosa-delgado", ext: "x3130" },
  { id: "icu1", name: "ICU Level 1", site: "nbh", floor: "Level 1, Block C", beds: 16, manager: "mei-chen", ext: "x3315" },
  { id: "kestrel", name: "Kestrel Ward (children's ward)", site: "nbh", floor: "Level 4, Block A", beds: 20, manager: "fiona-grant", ext: "x4711" },
  { id: "ed-majors", name: "ED Majors", site: "nbh", floor: "Ground floor, Block D", beds: 40, manager: "patrick-doyle", ext: "x4430" },
  { id: "willow", name: "Willow Ward (maternity)", site: "sgh", floor: "Level 2, East Wing", beds: 24, manager: "chiara-bianchi", ext: "x7611" },
  { id: "ccu", name: "Coronary Care Unit", site: "sgh", floor: "Level 1, West Wing", beds: 12, manager: "siobhan-kelly", ext: "x7916" },
  { id: "heron", name: "Heron Ward (orthopaedics)", site: "sgh", floor: "Level 3, East Wing", beds: 30, manager: "viktor-horak", ext: "x7811" },
  { id: "cdu", name: "Chemotherapy Day Unit", site: "rcc", floor: "Ground floor", beds: 18, ext: "x8830" },
];

// ───────────────────────────── systems ─────────────────────────────

interface System {
  id: string;
  display?: string;
  desc: string;
  owner: string;
  runsOn: string;
  hostedAt: string;
  tier: string;
  vendor?: string;
  version?: string;
  rto: string;
  dataClass: string;
  oncall: string;
  escalation?: string;
  admin?: string;
  maintenance?: string;
  sla?: string;
}

const P1 = "P1 – life-critical";
const P2 = "P2 – clinically important";
const P3 = "P3 – business";
const PID = "Patient-identifiable, special category";

export const SYSTEMS: readonly System[] = [
  { id: "ehr", display: "Halcyon EHR", desc: "Electronic health record for inpatients and outpatients: clinical notes, orders, results and discharge letters.", owner: "cis", runsOn: "Oracle Database 19c (RAC, two nodes)", hostedAt: "site/dc1", tier: P1, vendor: "halcyon", version: "Halcyon 2025.2 (build 2025.2.7)", rto: "1 hour", dataClass: PID, oncall: "kwame-asante", escalation: "declan-murphy", admin: "beatrice-nwosu", maintenance: "First Sunday of the month, 01:00–03:00", sla: "99.95%" },
  { id: "pacs", display: "Lumen PACS", desc: "Stores and serves every X-ray, CT, MRI and ultrasound image; radiologists report from its workstations.", owner: "rad", runsOn: "PostgreSQL 11 on CentOS 7", hostedAt: "site/dc1", tier: P1, vendor: "lumen", version: "Lumen PACS 8.4", rto: "2 hours", dataClass: PID, oncall: "niamh-gallagher", escalation: "declan-murphy", admin: "niamh-gallagher", maintenance: "Tuesdays 22:00–23:00", sla: "99.9%" },
  { id: "ris", display: "Lumen RIS", desc: "Radiology information system: imaging requests, appointments, modality worklists and reports.", owner: "rad", runsOn: "Microsoft SQL Server 2019", hostedAt: "site/dc1", tier: P2, vendor: "lumen", version: "Lumen RIS 6.1", rto: "4 hours", dataClass: PID, oncall: "callum-fraser", escalation: "niamh-gallagher", admin: "niamh-gallagher", maintenance: "Tuesdays 23:00–23:30" },
  { id: "lis", display: "Cobalt LIS", desc: "Laboratory information system for blood sciences, microbiology and cellular pathology: receives orders, tracks samples and releases results.", owner: "path", runsOn: "InterSystems IRIS 2023.1", hostedAt: "site/dc2", tier: P1, vendor: "cobalt", version: "Cobalt LIS 12.3", rto: "1 hour", dataClass: PID, oncall: "pedro-alves", escalation: "samuel-mensah", admin: "pedro-alves", maintenance: "Wednesdays 05:00–06:00", sla: "99.95%" },
  { id: "hl7-ie", desc: "Routes HL7 v2 and FHIR messages between clinical systems: admissions, orders, results and discharge summaries.", owner: "cis", runsOn: "Red Hat Enterprise Linux 9 (Java 17)", hostedAt: "site/dc1", tier: P1, vendor: "conduit", version: "Conduit 7.2", rto: "30 minutes", dataClass: PID, oncall: "kwame-asante", escalation: "beatrice-nwosu", admin: "kwame-asante", maintenance: "Thursdays 02:00–02:30", sla: "99.99%" },
  { id: "pay-gw", desc: "Card processing for car parks, retail outlets and private patient invoices (PCI DSS scope).", owner: "fin", runsOn: "PayStream hosted service (SaaS)", hostedAt: "vendor/paystream", tier: P3, vendor: "paystream", version: "API v3", rto: "8 hours", dataClass: "Cardholder data (PCI DSS)", oncall: "thomas-reddy", escalation: "declan-murphy", sla: "99.9%" },
  { id: "bed-mgmt", display: "FlowBoard", desc: "Live bed state across wards: occupancy, expected discharges and cleaning status, shown on the site operations screens.", owner: "ops", runsOn: "Microsoft SQL Server 2019", hostedAt: "site/dc1", tier: P2, vendor: "ashgrove", version: "FlowBoard 4.0", rto: "4 hours", dataClass: PID, oncall: "callum-fraser", escalation: "sanjay-bhatt" },
  { id: "emar", desc: "Electronic prescribing and medicines administration on the wards; nurses scan the patient's wristband before giving a dose.", owner: "pharm", runsOn: "Oracle Database 19c (shared with the EHR)", hostedAt: "site/dc1", tier: P1, vendor: "halcyon", version: "Halcyon Meds 2025.2", rto: "1 hour", dataClass: PID, oncall: "ethan-cole", escalation: "farah-siddiqui", admin: "ethan-cole" },
  { id: "adc", desc: "Locked medicine cabinets on 38 wards, opened by fingerprint and linked to the pharmacy stock system.", owner: "pharm", runsOn: "Windows Server 2022 with SQL Server Express", hostedAt: "site/nbh", tier: P2, vendor: "medvault", version: "MedVault Console 3.8", rto: "4 hours", dataClass: "Staff personal data (fingerprint templates)", oncall: "ethan-cole", escalation: "farah-siddiqui" },
  { id: "ncs", desc: "Bedside and bathroom call buttons, staff locator badges and the ward call displays.", owner: "estates", runsOn: "Ward controllers with a central server on Windows Server 2019", hostedAt: "site/nbh", tier: P1, vendor: "callpoint", rto: "30 minutes", dataClass: "Non-personal", oncall: "gareth-pugh", escalation: "colin-marsh" },
  { id: "vr-dict", display: "Vocalis Dictate", desc: "Speech recognition for clinic letters and radiology reports.", owner: "cis", runsOn: "Vocalis cloud (SaaS)", hostedAt: "vendor/vocalis", tier: P3, vendor: "vocalis", rto: "1 business day", dataClass: PID, oncall: "thomas-reddy" },
  { id: "fax-gw", desc: "Sends and receives faxes for GP surgeries and other hospitals that still use them; files them as PDFs in the EHR inbox.", owner: "cis", runsOn: "Ubuntu 22.04 (HylaFAX)", hostedAt: "site/dc2", tier: P3, rto: "1 business day", dataClass: PID, oncall: "callum-fraser" },
  { id: "sso", display: "TapIn single sign-on", desc: "Badge tap-and-go login on shared clinical workstations.", owner: "cis", runsOn: "Windows Server 2022 (Active Directory integrated)", hostedAt: "site/dc1", tier: P2, vendor: "tapin", version: "TapIn 9.1", rto: "2 hours", dataClass: "Staff personal data", oncall: "leila-farouk", escalation: "declan-murphy", admin: "leila-farouk" },
  { id: "vpn", desc: "Remote access for staff working from home and for supplier support sessions.", owner: "cis", runsOn: "Firewall appliance cluster (HA pair)", hostedAt: "site/dc1", tier: P2, vendor: "brightwire", rto: "4 hours", dataClass: "Staff personal data", oncall: "thomas-reddy", escalation: "declan-murphy", admin: "thomas-reddy" },
  { id: "pt-portal", display: "MyMeridian", desc: "Patients see their appointments, test results and letters, and message their care team.", owner: "cis", runsOn: "PostgreSQL 15 (Azure managed)", hostedAt: "vendor/halcyon", tier: P2, vendor: "halcyon", version: "MyMeridian 3.2", rto: "8 hours", dataClass: PID, oncall: "marta-kowalczyk", sla: "99.5%" },
  { id: "cdw", desc: "Nightly copy of EHR, LIS and PACS data for reporting, audits and research extracts.", owner: "cis", runsOn: "PostgreSQL 15 with dbt", hostedAt: "site/dc2", tier: P3, rto: "24 hours", dataClass: "Pseudonymised patient data", oncall: "marta-kowalczyk", escalation: "declan-murphy", admin: "marta-kowalczyk", maintenance: "Saturdays 18:00–22:00" },
  { id: "sched", display: "BookWell", desc: "Outpatient appointment booking, clinic templates and text message reminders.", owner: "ops", runsOn: "Microsoft SQL Server 2017", hostedAt: "site/dc1", tier: P2, vendor: "ashgrove", version: "BookWell 11", rto: "4 hours", dataClass: PID, oncall: "callum-fraser", escalation: "sanjay-bhatt" },
  { id: "bbt", desc: "Tracks every blood unit from the laboratory fridge to the patient's bedside and records each transfusion.", owner: "path", runsOn: "InterSystems IRIS 2023.1 (module of the LIS)", hostedAt: "site/dc2", tier: P1, vendor: "cobalt", rto: "1 hour", dataClass: PID, oncall: "jonah-whitfield", escalation: "samuel-mensah" },
  { id: "ecg-mgmt", display: "PulseArchive", desc: "Collects ECGs from the carts in both hospitals for cardiologists to read and report.", owner: "card", runsOn: "Microsoft SQL Server 2019", hostedAt: "site/dc2", tier: P2, vendor: "cardiolink", version: "PulseArchive 5.5", rto: "4 hours", dataClass: PID, oncall: "lars-eriksson", escalation: "rajesh-iyer" },
  { id: "wifi-clin", desc: "Wireless network for clinical devices: infusion pumps, observation monitors and handheld scanners.", owner: "cis", runsOn: "Wireless LAN controller pair", hostedAt: "site/dc1", tier: P1, vendor: "brightwire", rto: "30 minutes", dataClass: "Non-personal", oncall: "thomas-reddy", escalation: "declan-murphy" },
];

/** Interfaces between systems, reified: one entity per feed. */
export const IFACES: readonly { id: string; from: string; to: string; msg: string; via?: string }[] = [
  { id: "ehr-lis-orders", from: "ehr", to: "lis", msg: "HL7 v2 ORM^O01 laboratory orders", via: "hl7-ie" },
  { id: "lis-ehr-results", from: "lis", to: "ehr", msg: "HL7 v2 ORU^R01 laboratory results", via: "hl7-ie" },
  { id: "ehr-ris-orders", from: "ehr", to: "ris", msg: "HL7 v2 ORM^O01 imaging requests", via: "hl7-ie" },
  { id: "ris-ehr-reports", from: "ris", to: "ehr", msg: "HL7 v2 ORU^R01 radiology reports", via: "hl7-ie" },
  { id: "ris-pacs-worklist", from: "ris", to: "pacs", msg: "DICOM modality worklist" },
  { id: "ehr-pacs-adt", from: "ehr", to: "pacs", msg: "HL7 v2 ADT^A01–A08 patient demographics", via: "hl7-ie" },
  { id: "ehr-bedmgmt-adt", from: "ehr", to: "bed-mgmt", msg: "HL7 v2 ADT admissions, transfers and discharges", via: "hl7-ie" },
  { id: "emar-adc-dispense", from: "emar", to: "adc", msg: "HL7 v2 RDE^O11 medication orders" },
  { id: "lis-bbt-crossmatch", from: "lis", to: "bbt", msg: "Crossmatch results and blood unit issue" },
  { id: "ehr-portal-fhir", from: "ehr", to: "pt-portal", msg: "FHIR R4 appointments, results and letters", via: "hl7-ie" },
  { id: "ecg-ehr-reports", from: "ecg-mgmt", to: "ehr", msg: "HL7 v2 MDM^T02 ECG reports as PDF", via: "hl7-ie" },
  { id: "ehr-cdw-extract", from: "ehr", to: "cdw", msg: "Nightly bulk extract, CSV over SFTP" },
  { id: "sched-ehr-appts", from: "sched", to: "ehr", msg: "HL7 v2 SIU^S12 appointment bookings", via: "hl7-ie" },
];

export const VENDORS: readonly { id: string; name: string; support: string; accountManager?: string }[] = [
  { id: "halcyon", name: "Halcyon Health Systems", support: "+44 20 7946 0311", accountManager: "tschmidt" },
  { id: "lumen", name: "Lumen Imaging", support: "+44 20 7946 0425", accountManager: "mkaur" },
  { id: "cobalt", name: "Cobalt Diagnostics Software", support: "+44 161 496 0233" },
  { id: "conduit", name: "Conduit Integration Ltd", support: "+44 113 496 0871" },
  { id: "paystream", name: "PayStream Payments", support: "+44 20 7946 0990" },
  { id: "medvault", name: "MedVault Ltd", support: "+44 121 496 0504" },
  { id: "callpoint", name: "Callpoint Communications", support: "+44 117 496 0162" },
  { id: "vocalis", name: "Vocalis Speech", support: "+44 20 7946 0738" },
  { id: "tapin", name: "TapIn Identity", support: "+44 131 496 0019" },
  { id: "brightwire", name: "Brightwire Networks", support: "+44 29 2018 0344", accountManager: "ovance" },
  { id: "ashgrove", name: "Ashgrove Software", support: "+44 114 496 0627" },
  { id: "cardiolink", name: "CardioLink", support: "+44 1632 960 777" },
];

export const CONTRACTS: readonly { id: string; vendor: string; covers: string; renewal: string; annualGbp: number; notice: string }[] = [
  { id: "ct-2291", vendor: "halcyon", covers: "ehr", renewal: "2027-03-31", annualGbp: 1_450_000, notice: "12 months" },
  { id: "ct-2310", vendor: "lumen", covers: "pacs", renewal: "2027-06-30", annualGbp: 380_000, notice: "6 months" },
  { id: "ct-2315", vendor: "lumen", covers: "ris", renewal: "2027-06-30", annualGbp: 95_000, notice: "6 months" },
  { id: "ct-1988", vendor: "cobalt", covers: "lis", renewal: "2028-01-31", annualGbp: 410_000, notice: "9 months" },
  { id: "ct-2402", vendor: "medvault", covers: "adc", renewal: "2027-11-30", annualGbp: 220_000, notice: "3 months" },
  { id: "ct-2417", vendor: "callpoint", covers: "ncs", renewal: "2029-04-30", annualGbp: 160_000, notice: "6 months" },
  { id: "ct-2433", vendor: "brightwire", covers: "vpn", renewal: "2027-02-28", annualGbp: 85_000, notice: "3 months" },
  { id: "ct-2450", vendor: "paystream", covers: "pay-gw", renewal: "2027-08-31", annualGbp: 30_000, notice: "1 month" },
];

export const DEVICES: readonly { id: string; model: string; serial: string; room: string; custodian: string; nextPpm: string }[] = [
  { id: "mri-nbh-1", model: "Aurora 3T MRI scanner", serial: "AU3T-00417", room: "NBH Radiology, MRI Suite 1", custodian: "rad", nextPpm: "2027-01-18" },
  { id: "ct-nbh-2", model: "Vertex 128-slice CT scanner", serial: "VX128-55310", room: "NBH Emergency Department, CT Room 2", custodian: "rad", nextPpm: "2027-02-03" },
  { id: "ct-sgh-1", model: "Vertex 64-slice CT scanner", serial: "VX64-40127", room: "SGH Radiology, CT Room 1", custodian: "rad", nextPpm: "2027-03-10" },
  { id: "linac-rcc-1", model: "Helix linear accelerator", serial: "HLX-1187", room: "RCC Radiotherapy, Bunker 1", custodian: "onc", nextPpm: "2026-12-20" },
  { id: "cathlab-sgh", model: "Vertex cardiac catheterisation imaging system", serial: "VXC-7702", room: "SGH Cardiac Catheter Lab", custodian: "card", nextPpm: "2027-01-29" },
  { id: "bloodfridge-nbh-3", model: "Blood bank refrigerator, 620 litres", serial: "BBR620-3318", room: "NBH Blood Transfusion Laboratory", custodian: "path", nextPpm: "2027-01-07" },
  { id: "infpump-fleet", model: "Volumetric infusion pumps (fleet of 412)", serial: "Fleet register FR-0412", room: "All wards, both acute hospitals", custodian: "biomed", nextPpm: "2027-04-01" },
  { id: "vent-icu-07", model: "Intensive care ventilator", serial: "VNT-9907", room: "NBH ICU, bed space 7", custodian: "icu", nextPpm: "2027-02-14" },
  { id: "analyser-chem-1", model: "Clinical chemistry analyser", serial: "CCA-2210", room: "NBH Blood Sciences Laboratory", custodian: "path", nextPpm: "2026-12-30" },
];

export const CHANGES: readonly { id: string; summary: string; scheduled: string; approvedBy: string; affects: string; risk: string; status: string }[] = [
  { id: "chg-10421", summary: "Upgrade the EHR from Halcyon 2025.1 to 2025.2", scheduled: "2026-11-15T01:00:00Z", approvedBy: "graham-whitlock", affects: "ehr", risk: "high", status: "completed" },
  { id: "chg-10433", summary: "Move the PACS database to PostgreSQL 14 on RHEL 8", scheduled: "2026-11-24T22:00:00Z", approvedBy: "declan-murphy", affects: "pacs", risk: "high", status: "scheduled" },
  { id: "chg-10440", summary: "Replace the core switches in the NBH comms room", scheduled: "2026-12-13T00:00:00Z", approvedBy: "declan-murphy", affects: "wifi-clin", risk: "high", status: "approved" },
  { id: "chg-10452", summary: "Add the new chemotherapy order sets to the EHR", scheduled: "2026-12-09T18:00:00Z", approvedBy: "yuki-tanabe", affects: "ehr", risk: "medium", status: "approved" },
  { id: "chg-10458", summary: "Renew the TLS certificates on the integration engine", scheduled: "2026-12-11T02:00:00Z", approvedBy: "beatrice-nwosu", affects: "hl7-ie", risk: "low", status: "scheduled" },
  { id: "chg-10461", summary: "Patch the fax server's operating system", scheduled: "2026-12-05T20:00:00Z", approvedBy: "declan-murphy", affects: "fax-gw", risk: "low", status: "completed" },
  { id: "chg-10470", summary: "Enable fingerprint re-enrolment on the ward medicine cabinets", scheduled: "2027-01-08T09:00:00Z", approvedBy: "farah-siddiqui", affects: "adc", risk: "medium", status: "awaiting CAB" },
  { id: "chg-10477", summary: "Upgrade the laboratory system to Cobalt LIS 12.4", scheduled: "2027-01-20T05:00:00Z", approvedBy: "samuel-mensah", affects: "lis", risk: "high", status: "approved" },
];

export const INCIDENTS: readonly { id: string; title: string; severity: string; commander: string; rootCause: string; affected: string; opened: string; status: string }[] = [
  { id: "inc-0874", title: "EHR unavailable for 47 minutes at North Bay", severity: "SEV1", commander: "declan-murphy", rootCause: "A storage controller firmware bug froze the shared disks of the Oracle cluster; the standby controller did not take over.", affected: "ehr", opened: "2026-10-02T08:14:00Z", status: "resolved" },
  { id: "inc-0891", title: "Lab results reached the EHR three hours late", severity: "SEV2", commander: "beatrice-nwosu", rootCause: "An expired certificate on the LIS connection stopped the results queue in the integration engine.", affected: "hl7-ie", opened: "2026-10-21T06:40:00Z", status: "resolved" },
  { id: "inc-0902", title: "Images slow to open in the Emergency Department", severity: "SEV3", commander: "niamh-gallagher", rootCause: "A database vacuum job ran in the daytime after its schedule was changed.", affected: "pacs", opened: "2026-11-03T10:05:00Z", status: "resolved" },
  { id: "inc-0912", title: "Call displays blank on Heron Ward", severity: "SEV2", commander: "gareth-pugh", rootCause: "Water from a leaking ceiling on Level 3, East Wing, damaged the ward controller.", affected: "ncs", opened: "2026-11-19T03:20:00Z", status: "open" },
  { id: "inc-0920", title: "Phishing emails sent from a compromised staff account", severity: "SEV2", commander: "leila-farouk", rootCause: "A reused password without multi-factor authentication leaked in a third-party breach.", affected: "sso", opened: "2026-11-27T14:55:00Z", status: "monitoring" },
  { id: "inc-0925", title: "Medicine cabinets refused fingerprints on Ward A3", severity: "SEV3", commander: "ethan-cole", rootCause: "Under investigation.", affected: "adc", opened: "2026-12-01T07:30:00Z", status: "open" },
  { id: "inc-0931", title: "Card payments failing at the North Bay car parks", severity: "SEV3", commander: "callum-fraser", rootCause: "The provider rotated its API keys and ours were not updated.", affected: "pay-gw", opened: "2026-12-03T08:00:00Z", status: "resolved" },
];

export const COMMITTEES: readonly { id: string; name: string; chair: string; meets: string }[] = [
  { id: "cab", name: "Change Advisory Board", chair: "declan-murphy", meets: "Every Wednesday at 10:00, on Teams" },
  { id: "dda", name: "Digital Design Authority", chair: "graham-whitlock", meets: "Second Thursday of the month, 14:00, NBH boardroom" },
  { id: "msg", name: "Medicines Safety Group", chair: "farah-siddiqui", meets: "Last Monday of the month, 14:00, NBH pharmacy seminar room" },
  { id: "icc", name: "Infection Control Committee", chair: "joanne-pike", meets: "Quarterly, first Friday of January, April, July and October" },
  { id: "csg", name: "Clinical Safety Group", chair: "yuki-tanabe", meets: "Fortnightly on Fridays at 12:30" },
];

export const POLICIES: readonly { id: string; title: string; owner: string; nextReview: string; version: string }[] = [
  { id: "ipc-004", title: "Hand Hygiene Policy", owner: "hannah-brody", nextReview: "2027-05-01", version: "v6" },
  { id: "ipc-011", title: "Isolation of Patients with Infections", owner: "hannah-brody", nextReview: "2026-12-31", version: "v3.2" },
  { id: "med-019", title: "Controlled Drugs Policy", owner: "farah-siddiqui", nextReview: "2027-09-30", version: "v8" },
  { id: "it-002", title: "Acceptable Use of IT Policy", owner: "leila-farouk", nextReview: "2027-02-28", version: "v5.1" },
  { id: "it-007", title: "Password and Multi-Factor Authentication Standard", owner: "leila-farouk", nextReview: "2027-06-30", version: "v2" },
  { id: "clin-031", title: "Blood Transfusion Policy", owner: "jonah-whitfield", nextReview: "2027-03-31", version: "v7" },
  { id: "hr-014", title: "Flexible Working Policy", owner: "nkechi-obi", nextReview: "2027-10-31", version: "v4" },
];

export const AGENTS: readonly { id: string; purpose: string; reliability: string; runBy: string }[] = [
  { id: "hris-feed", purpose: "Nightly copy of staff records, job titles, reporting lines and departments from the HR system.", reliability: "high: system of record for staff", runBy: "workforce" },
  { id: "paging-bot", purpose: "Publishes the on-call rota, escalation contacts and bleep numbers from the switchboard's paging system.", reliability: "high: the switchboard pages from the same rota", runBy: "cis" },
  { id: "cmdb-sync", purpose: "Syncs systems, owners, hosting, vendors and recovery targets from the configuration management database.", reliability: "medium: owners update their entries quarterly", runBy: "cis" },
  { id: "estates-bot", purpose: "Keeps sites, wards, floors, bed numbers and switchboard numbers up to date.", reliability: "high", runBy: "estates" },
  { id: "iface-registry", purpose: "Lists the interfaces between clinical systems and the messages they carry.", reliability: "high: generated from the integration engine's configuration", runBy: "cis" },
  { id: "procurement-sync", purpose: "Copies suppliers, contracts, renewal dates and supplier contacts from the contracts register.", reliability: "high", runBy: "fin" },
  { id: "biomed-assets", purpose: "Exports medical equipment, serial numbers and planned maintenance dates from the equipment database.", reliability: "high", runBy: "biomed" },
  { id: "change-board", purpose: "Records change requests and their approvals from the Change Advisory Board.", reliability: "high", runBy: "cis" },
  { id: "incident-log", purpose: "Records major incidents, who led them and their root causes.", reliability: "medium: root causes are provisional until the review closes", runBy: "cis" },
  { id: "policy-library", purpose: "Indexes approved policies, their owners and review dates.", reliability: "high", runBy: "nursing" },
  { id: "teams-scraper", purpose: "Extracts candidate facts from staff chat channels.", reliability: "low: unverified chat messages, confirm before acting", runBy: "cis" },
];

/** Low-confidence chat excerpts: realistic noise next to the facts they resemble. */
const CHAT_NOTES: readonly { entity: string; note: string }[] = [
  { entity: "svc/ehr", note: "Someone on the ward channel says the EHR was slow again after lunch." },
  { entity: "staff/kwame-asante", note: "Kwame mentioned he might cover the St Giles on-call over Christmas." },
  { entity: "ward/heron", note: "Heron Ward may move to Level 2 while the ceiling is repaired." },
  { entity: "svc/pacs", note: "Radiographers think the new PACS viewer is worse on the old monitors." },
  { entity: "dept/icu", note: "ICU might get four extra beds next winter, not confirmed." },
];

// ───────────────────────────── facts ─────────────────────────────

function fact(entity: string, relation: string, value: AssertBody["value"], source: string, confidence = 1.0): AssertBody {
  return { entity: mhn(entity), relation, value, source, confidence, scope: MERIDIAN_SCOPE };
}
const str = (v: string): AssertBody["value"] => ({ type: "string", v });
const text = (v: string): AssertBody["value"] => ({ type: "text", v });
const num = (v: number): AssertBody["value"] => ({ type: "number", v });
const ref = (path: string): AssertBody["value"] => ({ type: "ref", v: mhn(path) });
const day = (d: string): AssertBody["value"] => ({ type: "datetime", v: d.includes("T") ? d : `${d}T00:00:00Z` });

/** `Dr Inês Carvalho` → `ines.carvalho@mhn-health.example` (titles dropped, accents folded). */
function email(name: string): string {
  const plain = name.replace(/^(Dr|Mr) /, "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z ]/g, "");
  return `${plain.trim().replace(/ +/g, ".")}@mhn-health.example`;
}

/** The facts in load order: `initial` first, then `updates` (same source, so they supersede). */
export interface MeridianFacts {
  initial: AssertBody[];
  updates: AssertBody[];
}

export function meridianFacts(): MeridianFacts {
  const f: AssertBody[] = [];
  const updates: AssertBody[] = [];

  for (const p of STAFF) {
    const e = `staff/${p.id}`;
    f.push(fact(e, "hr:full_name", str(p.name), SRC.hris));
    f.push(fact(e, "hr:title", str(p.title), SRC.hris));
    f.push(fact(e, "hr:dept", ref(`dept/${p.dept}`), SRC.hris));
    f.push(fact(e, "hr:site", ref(`site/${p.site}`), SRC.hris));
    if (p.reportsTo !== null) f.push(fact(e, "hr:reports_to", ref(`staff/${p.reportsTo}`), SRC.hris));
    f.push(fact(e, "hr:hire_date", day(p.hired), SRC.hris));
    f.push(fact(e, "contact:email", str(email(p.name)), SRC.hris));
    f.push(fact(e, "contact:ext", str(p.ext), SRC.hris));
    if (p.pager !== undefined) f.push(fact(e, "contact:pager", str(p.pager), SRC.paging));
    if (p.specialty !== undefined) f.push(fact(e, "clin:specialty", str(p.specialty), SRC.hris));
    if (p.registration !== undefined) f.push(fact(e, "cred:registration", str(p.registration), SRC.hris));
    if (p.languages !== undefined) f.push(fact(e, "languagesSpoken", str(p.languages), SRC.hris));
    if (p.shift !== undefined) f.push(fact(e, "shift_pattern", str(p.shift), SRC.hris));
    if (p.aka !== undefined) f.push(fact(e, "hr:aka", str(p.aka), SRC.hris));
  }
  // A promotion and a move between hospitals.
  updates.push(fact("staff/kwame-asante", "hr:title", str("Senior Integration Engineer"), SRC.hris));
  updates.push(fact("staff/tessa-quinn", "hr:site", ref("site/sgh"), SRC.hris));

  for (const x of EXTERNALS) {
    const e = `ext/${x.id}`;
    f.push(fact(e, "hr:full_name", str(x.name), SRC.procurement));
    f.push(fact(e, "hr:title", str(x.title), SRC.procurement));
    f.push(fact(e, "ext:employer", ref(`vendor/${x.employer}`), SRC.procurement));
    f.push(fact(e, "contact:mobile", str(x.mobile), SRC.procurement));
    f.push(fact(e, "contact:email", str(x.email), SRC.procurement));
  }

  for (const d of DEPTS) {
    const e = `dept/${d.id}`;
    f.push(fact(e, "org:name", str(d.name), SRC.hris));
    f.push(fact(e, "org:head", ref(`staff/${d.head}`), SRC.hris));
    f.push(fact(e, "org:located_at", ref(`site/${d.site}`), SRC.hris));
    f.push(fact(e, "fin:cost_centre", str(d.costCentre), SRC.hris));
    f.push(fact(e, "contact:ext", str(d.ext), SRC.hris));
  }

  for (const s of SITES) {
    const e = `site/${s.id}`;
    f.push(fact(e, "org:name", str(s.name), SRC.estates));
    f.push(fact(e, "site:type", str(s.type), SRC.estates));
    f.push(fact(e, "geo:address", str(s.address), SRC.estates));
    if (s.beds !== undefined) f.push(fact(e, "beds", num(s.beds), SRC.estates));
    if (s.switchboard !== undefined) f.push(fact(e, "site:switchboard", str(s.switchboard), SRC.estates));
  }

  for (const w of WARDS) {
    const e = `ward/${w.id}`;
    f.push(fact(e, "org:name", str(w.name), SRC.estates));
    f.push(fact(e, "org:located_at", ref(`site/${w.site}`), SRC.estates));
    f.push(fact(e, "loc:floor", str(w.floor), SRC.estates));
    f.push(fact(e, "beds", num(w.beds), SRC.estates));
    if (w.manager !== undefined) f.push(fact(e, "ward_manager", ref(`staff/${w.manager}`), SRC.estates));
    f.push(fact(e, "contact:ext", str(w.ext), SRC.estates));
  }

  for (const s of SYSTEMS) {
    const e = `svc/${s.id}`;
    if (s.display !== undefined) f.push(fact(e, "display_name", str(s.display), SRC.cmdb));
    f.push(fact(e, "svc:desc", text(s.desc), SRC.cmdb));
    f.push(fact(e, "svc_owner", ref(`dept/${s.owner}`), SRC.cmdb));
    f.push(fact(e, "infra:runs_on", str(s.runsOn), SRC.cmdb));
    f.push(fact(e, "infra:hosted_at", ref(s.hostedAt), SRC.cmdb));
    f.push(fact(e, "ops:tier", str(s.tier), SRC.cmdb));
    if (s.vendor !== undefined) f.push(fact(e, "procurement:vendor", ref(`vendor/${s.vendor}`), SRC.cmdb));
    if (s.version !== undefined) f.push(fact(e, "sw_version", str(s.version), SRC.cmdb));
    f.push(fact(e, "dr:rto", str(s.rto), SRC.cmdb));
    f.push(fact(e, "dataClass", str(s.dataClass), SRC.cmdb));
    f.push(fact(e, "ops:runbook", str(`https://wiki.mhn-health.example/it/runbooks/${s.id}`), SRC.cmdb));
    if (s.admin !== undefined) f.push(fact(e, "access:admin", ref(`staff/${s.admin}`), SRC.cmdb));
    if (s.maintenance !== undefined) f.push(fact(e, "ops:maint_window", str(s.maintenance), SRC.cmdb));
    if (s.sla !== undefined) f.push(fact(e, "sla_uptime", str(s.sla), SRC.cmdb));
    f.push(fact(e, "has-oncall", ref(`staff/${s.oncall}`), SRC.paging));
    if (s.escalation !== undefined) f.push(fact(e, "ops:escalation", ref(`staff/${s.escalation}`), SRC.paging));
  }
  // The weekly on-call handover for the EHR, and the PACS database upgrade (chg-10433).
  updates.push(fact("svc/ehr", "has-oncall", ref("staff/beatrice-nwosu"), SRC.paging));
  updates.push(fact("svc/pacs", "infra:runs_on", str("PostgreSQL 14 on Red Hat Enterprise Linux 8"), SRC.cmdb));

  for (const i of IFACES) {
    const e = `iface/${i.id}`;
    f.push(fact(e, "if:from", ref(`svc/${i.from}`), SRC.ifaces));
    f.push(fact(e, "if:to", ref(`svc/${i.to}`), SRC.ifaces));
    f.push(fact(e, "if:msg", str(i.msg), SRC.ifaces));
    if (i.via !== undefined) f.push(fact(e, "if:via", ref(`svc/${i.via}`), SRC.ifaces));
  }

  for (const v of VENDORS) {
    const e = `vendor/${v.id}`;
    f.push(fact(e, "org:name", str(v.name), SRC.procurement));
    f.push(fact(e, "vendor:support_line", str(v.support), SRC.procurement));
    if (v.accountManager !== undefined) f.push(fact(e, "vendor:account_manager", ref(`ext/${v.accountManager}`), SRC.procurement));
  }
  for (const c of CONTRACTS) {
    const e = `contract/${c.id}`;
    f.push(fact(e, "contract:vendor", ref(`vendor/${c.vendor}`), SRC.procurement));
    f.push(fact(e, "contract:covers", ref(`svc/${c.covers}`), SRC.procurement));
    f.push(fact(e, "contract:renewal_date", day(c.renewal), SRC.procurement));
    f.push(fact(e, "contract:annual_value_gbp", num(c.annualGbp), SRC.procurement));
    f.push(fact(e, "contract:notice_period", str(c.notice), SRC.procurement));
  }

  for (const d of DEVICES) {
    const e = `device/${d.id}`;
    f.push(fact(e, "asset:model", str(d.model), SRC.biomed));
    f.push(fact(e, "asset:serial", str(d.serial), SRC.biomed));
    f.push(fact(e, "loc:room", str(d.room), SRC.biomed));
    f.push(fact(e, "asset:custodian", ref(`dept/${d.custodian}`), SRC.biomed));
    f.push(fact(e, "biomed:next_ppm", day(d.nextPpm), SRC.biomed));
  }

  for (const c of CHANGES) {
    const e = `chg/${c.id}`;
    f.push(fact(e, "chg:summary", text(c.summary), SRC.changes));
    f.push(fact(e, "chg:scheduled_for", day(c.scheduled), SRC.changes));
    f.push(fact(e, "chg:approved_by", ref(`staff/${c.approvedBy}`), SRC.changes));
    f.push(fact(e, "chg:affects", ref(`svc/${c.affects}`), SRC.changes));
    f.push(fact(e, "chg:risk", str(c.risk), SRC.changes));
    f.push(fact(e, "chg:status", str(c.status), SRC.changes));
  }
  updates.push(fact("chg/chg-10433", "chg:status", str("completed"), SRC.changes));

  for (const i of INCIDENTS) {
    const e = `inc/${i.id}`;
    f.push(fact(e, "inc:title", str(i.title), SRC.incidents));
    f.push(fact(e, "inc:severity", str(i.severity), SRC.incidents));
    f.push(fact(e, "inc:commander", ref(`staff/${i.commander}`), SRC.incidents));
    f.push(fact(e, "inc:root_cause", text(i.rootCause), SRC.incidents));
    f.push(fact(e, "inc:affected", ref(`svc/${i.affected}`), SRC.incidents));
    f.push(fact(e, "inc:opened_at", day(i.opened), SRC.incidents));
    f.push(fact(e, "inc:status", str(i.status), SRC.incidents));
  }
  updates.push(fact("inc/inc-0912", "inc:status", str("resolved"), SRC.incidents));

  for (const c of COMMITTEES) {
    const e = `cmte/${c.id}`;
    f.push(fact(e, "org:name", str(c.name), SRC.policies));
    f.push(fact(e, "cmte:chair", ref(`staff/${c.chair}`), SRC.policies));
    f.push(fact(e, "cmte:meets", str(c.meets), SRC.policies));
  }
  for (const p of POLICIES) {
    const e = `policy/${p.id}`;
    f.push(fact(e, "policy:title", str(p.title), SRC.policies));
    f.push(fact(e, "policy:owner", ref(`staff/${p.owner}`), SRC.policies));
    f.push(fact(e, "policy:next_review", day(p.nextReview), SRC.policies));
    f.push(fact(e, "policy:version", str(p.version), SRC.policies));
  }

  for (const a of AGENTS) {
    const e = `agent/${a.id}`;
    f.push(fact(e, "agent:purpose", text(a.purpose), SRC.cmdb));
    f.push(fact(e, "src:reliability", str(a.reliability), SRC.cmdb));
    f.push(fact(e, "agent:run_by", ref(`dept/${a.runBy}`), SRC.cmdb));
  }

  for (const n of CHAT_NOTES) f.push(fact(n.entity, "chat:note", text(n.note), SRC.chat, 0.4));

  return { initial: f, updates };
}
