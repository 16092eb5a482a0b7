/**
 * The labelled questions of the held-out evaluation, written by hand against
 * the facts of {@link ./org.ts} the way the hospital's staff would ask them.
 *
 * HELD OUT: written before any tuning of recall against it. Never change a
 * question or a label to fit what the code does; only a label that names the
 * wrong fact of the data may be corrected, and the correction says so.
 *
 * Seven classes:
 *
 * - `direct` — an entity and an attribute, as typed into a search box:
 *   "kwame asante pager", "ehr rto";
 * - `relation` — a relation asked about with no entity and no value named
 *   ("who is on call?", "what does each system run on?"): every current fact
 *   of that relation is an answer, so the labels are wildcards;
 * - `relation_value` — a relation restricted by a value but still naming no
 *   entity ("what runs on postgres?", "who speaks polish?");
 * - `paraphrase` — a named entity, the attribute reworded ("how do I bleep
 *   Hannah Brody?" for `contact:pager`);
 * - `alias` — the entity named by a long form of its abbreviated identifier
 *   ("payment gateway" for `svc/pay-gw`), by its stated name instead of its
 *   initialism ("North Bay Hospital" for `site/nbh`), or a person by the alias
 *   the HR feed states in `hr:aka` ("Bea", "Seun", "Tomek");
 * - `multi_hop` — the answer sits one or two `ref` hops from what is named;
 * - `out_of_domain` — questions the store cannot answer: the top result must
 *   score below the fusion's threshold.
 *
 * Labels and grading follow the Acme set ({@link ../queries.ts}): grade 2 =
 * the answer, 1 = context; `kind/*` matches any entity of that kind (so
 * distractors that are true answers count), `v` restricts the value.
 *
 * @module
 */
import type { Label } from "../queries.js";

export type MeridianClass = "direct" | "relation" | "relation_value" | "paraphrase" | "alias" | "multi_hop" | "out_of_domain";

export const MERIDIAN_CLASSES: readonly MeridianClass[] = ["direct", "relation", "relation_value", "paraphrase", "alias", "multi_hop", "out_of_domain"];

/** The class whose questions have no answer in the store. */
export const MERIDIAN_OOD_CLASS: MeridianClass = "out_of_domain";

export interface MeridianQuery {
  id: string;
  cls: MeridianClass;
  q: string;
  labels: Label[];
}

/** Shorthand for a label. */
function L(e: string, r: string, g: 1 | 2 = 2, v?: string): Label {
  return v === undefined ? { e, r, g } : { e, r, g, v };
}

const DIRECT: [string, Label[]][] = [
  ["kwame asante pager", [L("staff/kwame-asante", "contact:pager")]],
  ["pacs runbook", [L("svc/pacs", "ops:runbook")]],
  ["ehr vendor", [L("svc/ehr", "procurement:vendor")]],
  ["nbh beds", [L("site/nbh", "beds")]],
  ["lis runs on", [L("svc/lis", "infra:runs_on")]],
  ["inc-0874 root cause", [L("inc/inc-0874", "inc:root_cause"), L("inc/inc-0874", "inc:title", 1)]],
  ["ct-2291 renewal date", [L("contract/ct-2291", "contract:renewal_date")]],
  ["marta kowalczyk hire date", [L("staff/marta-kowalczyk", "hr:hire_date")]],
  ["rosa delgado title", [L("staff/rosa-delgado", "hr:title")]],
  ["tomasz wrobel specialty", [L("staff/tomasz-wrobel", "clin:specialty")]],
  ["hl7-ie maintenance window", [L("svc/hl7-ie", "ops:maint_window")]],
  ["emar tier", [L("svc/emar", "ops:tier")]],
  ["pacs version", [L("svc/pacs", "sw_version")]],
  ["niamh gallagher reports to", [L("staff/niamh-gallagher", "hr:reports_to")]],
  ["icu head", [L("dept/icu", "org:head")]],
  ["ward a3 manager", [L("ward/a3", "ward_manager")]],
  ["kestrel ward floor", [L("ward/kestrel", "loc:floor")]],
  ["cdw data class", [L("svc/cdw", "dataClass")]],
  ["farah siddiqui registration", [L("staff/farah-siddiqui", "cred:registration")]],
  ["chg-10433 status", [L("chg/chg-10433", "chg:status", 2, "completed")]],
  ["inc-0912 status", [L("inc/inc-0912", "inc:status", 2, "resolved")]],
  ["mri-nbh-1 serial", [L("device/mri-nbh-1", "asset:serial")]],
  ["linac-rcc-1 next ppm", [L("device/linac-rcc-1", "biomed:next_ppm")]],
  ["cab chair", [L("cmte/cab", "cmte:chair")]],
  ["policy it-007 next review", [L("policy/it-007", "policy:next_review")]],
  ["lumen support line", [L("vendor/lumen", "vendor:support_line")]],
  ["pharm cost centre", [L("dept/pharm", "fin:cost_centre")]],
  ["mei chen shift pattern", [L("staff/mei-chen", "shift_pattern")]],
  ["ehr rto", [L("svc/ehr", "dr:rto")]],
  ["pedro alves languages", [L("staff/pedro-alves", "languagesSpoken")]],
  ["sgh switchboard", [L("site/sgh", "site:switchboard")]],
  ["kwame asante title", [L("staff/kwame-asante", "hr:title", 2, "Senior Integration Engineer")]],
  ["pacs runs on", [L("svc/pacs", "infra:runs_on", 2, "PostgreSQL 14")]],
  ["ehr has-oncall", [L("svc/ehr", "has-oncall", 2, "staff/beatrice-nwosu")]],
  ["lis-ehr-results message", [L("iface/lis-ehr-results", "if:msg")]],
  ["tessa quinn site", [L("staff/tessa-quinn", "hr:site", 2, "site/sgh")]],
];

/** No entity and no value named: any current fact of the relation answers. */
const RELATION: [string, Label[]][] = [
  ["who is on call?", [L("svc/*", "has-oncall")]],
  ["which services have an owner?", [L("svc/*", "svc_owner")]],
  ["who reports to whom?", [L("staff/*", "hr:reports_to")]],
  ["list the pager numbers", [L("staff/*", "contact:pager")]],
  ["who heads each department?", [L("dept/*", "org:head")]],
  ["where are the runbooks?", [L("svc/*", "ops:runbook")]],
  ["which vendors supply our systems?", [L("svc/*", "procurement:vendor")]],
  ["when do our contracts come up for renewal?", [L("contract/*", "contract:renewal_date")]],
  ["how many beds do we have?", [L("site/*", "beds"), L("ward/*", "beds")]],
  ["what does each system run on?", [L("svc/*", "infra:runs_on")]],
  ["what are the cost centre codes?", [L("dept/*", "fin:cost_centre")]],
  ["uptime SLAs", [L("svc/*", "sla_uptime")]],
  ["who do I escalate to?", [L("svc/*", "ops:escalation")]],
  ["what languages do our staff speak?", [L("staff/*", "languagesSpoken")]],
  ["does anyone go by a nickname?", [L("staff/*", "hr:aka")]],
  ["what are the clinical specialties of our doctors?", [L("staff/*", "clin:specialty")]],
  ["what message types go over the interfaces?", [L("iface/*", "if:msg")]],
  ["hire dates", [L("staff/*", "hr:hire_date")]],
  ["when are the maintenance windows?", [L("svc/*", "ops:maint_window")]],
  ["what are the recovery time objectives?", [L("svc/*", "dr:rto")]],
  ["where is each system hosted?", [L("svc/*", "infra:hosted_at")]],
  ["what shifts do people work?", [L("staff/*", "shift_pattern")]],
  ["what professional registrations do staff hold?", [L("staff/*", "cred:registration")]],
  ["who manages the wards?", [L("ward/*", "ward_manager")]],
  ["which floor is each ward on?", [L("ward/*", "loc:floor")]],
  ["phone extensions", [L("staff/*", "contact:ext"), L("dept/*", "contact:ext"), L("ward/*", "contact:ext")]],
  ["when is equipment next due for planned maintenance?", [L("device/*", "biomed:next_ppm")]],
  ["serial numbers of our medical devices", [L("device/*", "asset:serial")]],
  ["which software versions are deployed?", [L("svc/*", "sw_version")]],
  ["who approved the changes?", [L("chg/*", "chg:approved_by")]],
  ["when are changes scheduled?", [L("chg/*", "chg:scheduled_for")]],
  ["how severe were the incidents?", [L("inc/*", "inc:severity")]],
  ["who led the incident response?", [L("inc/*", "inc:commander")]],
  ["what were the root causes of our incidents?", [L("inc/*", "inc:root_cause")]],
  ["when do the committees meet?", [L("cmte/*", "cmte:meets")]],
  ["who chairs the committees?", [L("cmte/*", "cmte:chair")]],
  ["when are policies due for review?", [L("policy/*", "policy:next_review")]],
  ["who owns which policy?", [L("policy/*", "policy:owner")]],
  ["what data classification does each system have?", [L("svc/*", "dataClass")]],
  ["who has admin access to the systems?", [L("svc/*", "access:admin")]],
  ["what are the main switchboard numbers?", [L("site/*", "site:switchboard")]],
  ["vendor support phone lines", [L("vendor/*", "vendor:support_line")]],
  ["how much do our contracts cost per year?", [L("contract/*", "contract:annual_value_gbp")]],
  ["notice periods on contracts", [L("contract/*", "contract:notice_period")]],
  ["where is each department located?", [L("dept/*", "org:located_at")]],
  ["what are the staff email addresses?", [L("staff/*", "contact:email")]],
  ["what criticality tier is each service?", [L("svc/*", "ops:tier")]],
  ["where do the interfaces send their messages?", [L("iface/*", "if:to")]],
  ["who are the account managers at our suppliers?", [L("vendor/*", "vendor:account_manager")]],
  ["where are the devices kept?", [L("device/*", "loc:room")]],
  ["which department is responsible for each piece of equipment?", [L("device/*", "asset:custodian")]],
  ["what state are the changes in?", [L("chg/*", "chg:status")]],
  ["how risky are the planned changes?", [L("chg/*", "chg:risk")]],
  ["what do the agents do?", [L("agent/*", "agent:purpose")]],
  ["how reliable is each data source?", [L("agent/*", "src:reliability")]],
];

/** A relation restricted by a value, still with no entity named. */
const RELATION_VALUE: [string, Label[]][] = [
  ["what runs on postgres?", [L("svc/*", "infra:runs_on", 2, "PostgreSQL")]],
  ["which systems are life-critical?", [L("svc/*", "ops:tier", 2, "life-critical")]],
  ["who speaks polish?", [L("staff/*", "languagesSpoken", 2, "Polish")]],
  ["which incidents are still open?", [L("inc/*", "inc:status", 2, "open")]],
  ["which contracts have a six month notice period?", [L("contract/*", "contract:notice_period", 2, "6 months")]],
  ["which wards are in the east wing?", [L("ward/*", "loc:floor", 2, "East Wing")]],
  ["who works nights?", [L("staff/*", "shift_pattern", 2, "night")]],
  ["which systems use SQL Server?", [L("svc/*", "infra:runs_on", 2, "SQL Server")]],
  ["who are the emergency medicine consultants?", [L("staff/*", "clin:specialty", 2, "Emergency Medicine")]],
  ["which changes are high risk?", [L("chg/*", "chg:risk", 2, "high")]],
  ["which systems hold cardholder data?", [L("svc/*", "dataClass", 2, "Cardholder")]],
  ["which incidents were SEV1?", [L("inc/*", "inc:severity", 2, "SEV1")]],
  ["which systems are clinically important but not life-critical?", [L("svc/*", "ops:tier", 2, "P2")]],
  ["which staff are registered with the NMC?", [L("staff/*", "cred:registration", 2, "NMC")]],
  ["what runs on oracle?", [L("svc/*", "infra:runs_on", 2, "Oracle")]],
];

const PARAPHRASE: [string, Label[]][] = [
  ["when did Callum Fraser start working here?", [L("staff/callum-fraser", "hr:hire_date")]],
  ["what does Aisha Rahman do?", [L("staff/aisha-rahman", "hr:title")]],
  ["how do I bleep Hannah Brody?", [L("staff/hannah-brody", "contact:pager")]],
  ["who is Zainab Bello's line manager?", [L("staff/zainab-bello", "hr:reports_to")]],
  ["which department does Pedro Alves work in?", [L("staff/pedro-alves", "hr:dept")]],
  ["which hospital is Kirsten Vogel based at?", [L("staff/kirsten-vogel", "hr:site")]],
  ["how can I email Leila Farouk?", [L("staff/leila-farouk", "contact:email")]],
  ["what languages can Lucia Ferraro speak?", [L("staff/lucia-ferraro", "languagesSpoken")]],
  ["what is Meera Pillai an expert in?", [L("staff/meera-pillai", "clin:specialty")]],
  ["does Siobhan Kelly work days or nights?", [L("staff/siobhan-kelly", "shift_pattern")]],
  ["who runs the pharmacy department?", [L("dept/pharm", "org:head")]],
  ["who is in charge of radiology?", [L("dept/rad", "org:head")]],
  ["which hospital is cardiology at?", [L("dept/card", "org:located_at")]],
  ["what number do I ring for the maternity department?", [L("dept/mat", "contact:ext")]],
  ["who looks after Willow Ward?", [L("ward/willow", "ward_manager")]],
  ["how many patients can Heron Ward take?", [L("ward/heron", "beds")]],
  ["what level is the coronary care unit on?", [L("ward/ccu", "loc:floor")]],
  ["who do I page if PACS goes down?", [L("svc/pacs", "has-oncall"), L("svc/pacs", "ops:escalation", 1)]],
  ["who gets called when the LIS breaks?", [L("svc/lis", "has-oncall")]],
  ["which department is responsible for the EHR?", [L("svc/ehr", "svc_owner")]],
  ["what database is behind the LIS?", [L("svc/lis", "infra:runs_on")]],
  ["where do the EHR servers live?", [L("svc/ehr", "infra:hosted_at")]],
  ["which company makes the PACS?", [L("svc/pacs", "procurement:vendor")]],
  ["how quickly must the EHR be back after an outage?", [L("svc/ehr", "dr:rto")]],
  ["when is the HL7 engine's downtime slot?", [L("svc/hl7-ie", "ops:maint_window")]],
  ["what availability is promised for the LIS?", [L("svc/lis", "sla_uptime")]],
  ["what release of the EHR are we running?", [L("svc/ehr", "sw_version")]],
  ["who can administer the PACS?", [L("svc/pacs", "access:admin")]],
  ["is the CDW allowed to hold identifiable patient data?", [L("svc/cdw", "dataClass")]],
  ["what went wrong in INC-0891?", [L("inc/inc-0891", "inc:root_cause"), L("inc/inc-0891", "inc:title", 1)]],
  ["who handled INC-0920?", [L("inc/inc-0920", "inc:commander")]],
  ["how bad was INC-0874?", [L("inc/inc-0874", "inc:severity")]],
  ["is INC-0925 fixed yet?", [L("inc/inc-0925", "inc:status")]],
  ["when is CHG-10440 happening?", [L("chg/chg-10440", "chg:scheduled_for")]],
  ["who signed off CHG-10458?", [L("chg/chg-10458", "chg:approved_by")]],
  ["which system does CHG-10477 touch?", [L("chg/chg-10477", "chg:affects")]],
  ["how much does contract CT-1988 cost a year?", [L("contract/ct-1988", "contract:annual_value_gbp")]],
  ["how much notice do we have to give on CT-2433?", [L("contract/ct-2433", "contract:notice_period")]],
  ["what is SGH's postal address?", [L("site/sgh", "geo:address")]],
  ["when is ct-nbh-2 due for servicing?", [L("device/ct-nbh-2", "biomed:next_ppm")]],
  ["where is linac-rcc-1 installed?", [L("device/linac-rcc-1", "loc:room")]],
  ["what kind of machine is vent-icu-07?", [L("device/vent-icu-07", "asset:model")]],
  ["how often does the CAB meet?", [L("cmte/cab", "cmte:meets")]],
  ["who is responsible for the hand hygiene policy?", [L("policy/ipc-004", "policy:owner"), L("policy/ipc-004", "policy:title", 1)]],
  ["when does the Controlled Drugs Policy need reviewing?", [L("policy/med-019", "policy:next_review"), L("policy/med-019", "policy:title", 1)]],
  ["who do I ring at Lumen Imaging for support?", [L("vendor/lumen", "vendor:support_line")]],
  ["can we trust what the teams-scraper says?", [L("agent/teams-scraper", "src:reliability")]],
  ["what's Gwen Roberts' role?", [L("staff/gwen-roberts", "hr:title")]],
  ["who is Daniel Oyelaran's boss?", [L("staff/daniel-oyelaran", "hr:reports_to")]],
  ["what's Arif Chowdhury's bleep?", [L("staff/arif-chowdhury", "contact:pager")]],
  ["what is Rajesh Iyer's GMC number?", [L("staff/rajesh-iyer", "cred:registration")]],
];

const ALIAS: [string, Label[]][] = [
  // Long forms of abbreviated system identifiers.
  ["who owns the payment gateway service?", [L("svc/pay-gw", "svc_owner")]],
  ["payment gateway runbook", [L("svc/pay-gw", "ops:runbook")]],
  ["runbook for the HL7 interface engine", [L("svc/hl7-ie", "ops:runbook")]],
  ["who is on call for the laboratory information system?", [L("svc/lis", "has-oncall")]],
  ["what version is the picture archiving system on?", [L("svc/pacs", "sw_version")]],
  ["who owns the bed management system?", [L("svc/bed-mgmt", "svc_owner")]],
  ["who supplies the automated dispensing cabinets?", [L("svc/adc", "procurement:vendor")]],
  ["who makes our electronic medication administration record?", [L("svc/emar", "procurement:vendor")]],
  ["recovery time objective of the clinical data warehouse", [L("svc/cdw", "dr:rto")]],
  ["who is on call for the nurse call system?", [L("svc/ncs", "has-oncall")]],
  ["what database does the patient portal run on?", [L("svc/pt-portal", "infra:runs_on")]],
  ["who has admin rights on single sign-on?", [L("svc/sso", "access:admin")]],
  ["which company supplies speech recognition?", [L("svc/vr-dict", "procurement:vendor")]],
  ["electronic health record maintenance window", [L("svc/ehr", "ops:maint_window")]],
  ["who is on call for blood bank tracking?", [L("svc/bbt", "has-oncall")]],
  ["what does the ECG management system run on?", [L("svc/ecg-mgmt", "infra:runs_on")]],
  ["clinical wifi tier", [L("svc/wifi-clin", "ops:tier")]],
  ["what does the fax gateway run on?", [L("svc/fax-gw", "infra:runs_on")]],
  // Stated names of initialisms and short ids.
  ["how many beds does North Bay Hospital have?", [L("site/nbh", "beds"), L("site/nbh", "org:name", 1)]],
  ["where is the Riverside Cancer Centre?", [L("site/rcc", "geo:address"), L("site/rcc", "org:name", 1)]],
  ["who heads the emergency department?", [L("dept/ed", "org:head")]],
  ["intensive care unit cost centre", [L("dept/icu", "fin:cost_centre")]],
  ["who leads infection prevention and control?", [L("dept/ipc", "org:head")]],
  ["who chairs the change advisory board?", [L("cmte/cab", "cmte:chair")]],
  ["when does the medicines safety group meet?", [L("cmte/msg", "cmte:meets")]],
  ["who manages the emergency department majors area?", [L("ward/ed-majors", "ward_manager")]],
  ["how many beds in ICU level one?", [L("ward/icu1", "beds")]],
  // People by the alias their record states.
  ["what is Bea's bleep number?", [L("staff/beatrice-nwosu", "contact:pager"), L("staff/beatrice-nwosu", "hr:aka", 1)]],
  ["who does Seun report to?", [L("staff/oluwaseun-adebayo", "hr:reports_to"), L("staff/oluwaseun-adebayo", "hr:aka", 1)]],
  ["Rory's phone extension", [L("staff/ruairi-oneill", "contact:ext"), L("staff/ruairi-oneill", "hr:aka", 1)]],
  ["is Tomek an intensivist?", [L("staff/tomasz-wrobel", "clin:specialty"), L("staff/tomasz-wrobel", "hr:title"), L("staff/tomasz-wrobel", "hr:aka", 1)]],
  ["Dr Ada's specialty", [L("staff/adaeze-okonkwo", "clin:specialty"), L("staff/adaeze-okonkwo", "hr:aka", 1)]],
  ["what is Jo's job title?", [L("staff/joanne-pike", "hr:title"), L("staff/joanne-pike", "hr:aka", 1)]],
  ["Kechi's email address", [L("staff/nkechi-obi", "contact:email"), L("staff/nkechi-obi", "hr:aka", 1)]],
  ["Tom Reddy's pager number", [L("staff/thomas-reddy", "contact:pager"), L("staff/thomas-reddy", "hr:aka", 1)]],
  ["Sam Mensah's extension", [L("staff/samuel-mensah", "contact:ext"), L("staff/samuel-mensah", "hr:aka", 1)]],
  ["what languages does Seun speak?", [L("staff/oluwaseun-adebayo", "languagesSpoken"), L("staff/oluwaseun-adebayo", "hr:aka", 1)]],
  ["when did Bea join?", [L("staff/beatrice-nwosu", "hr:hire_date"), L("staff/beatrice-nwosu", "hr:aka", 1)]],
];

const MULTI_HOP: [string, Label[]][] = [
  ["pager number of whoever is on call for the LIS", [L("staff/pedro-alves", "contact:pager"), L("svc/lis", "has-oncall", 1)]],
  ["who heads the department that owns PACS?", [L("dept/rad", "org:head"), L("svc/pacs", "svc_owner", 1)]],
  ["when does the contract covering the EHR renew?", [L("contract/ct-2291", "contract:renewal_date"), L("contract/ct-2291", "contract:covers", 1)]],
  ["email of the person on call for the EHR", [L("staff/beatrice-nwosu", "contact:email"), L("svc/ehr", "has-oncall", 1, "staff/beatrice-nwosu")]],
  ["who does the PACS on-call report to?", [L("staff/niamh-gallagher", "hr:reports_to"), L("svc/pacs", "has-oncall", 1)]],
  ["which hospital is the ward Viktor Horák manages in?", [L("ward/heron", "org:located_at"), L("ward/heron", "ward_manager", 1)]],
  ["bleep of the Heron Ward manager", [L("staff/viktor-horak", "contact:pager"), L("ward/heron", "ward_manager", 1)]],
  ["support line of the company that supplies the LIS", [L("vendor/cobalt", "vendor:support_line"), L("svc/lis", "procurement:vendor", 1)]],
  ["what does the system hit by INC-0874 run on?", [L("svc/ehr", "infra:runs_on"), L("inc/inc-0874", "inc:affected", 1)]],
  ["job title of whoever led INC-0891", [L("staff/beatrice-nwosu", "hr:title"), L("inc/inc-0891", "inc:commander", 1)]],
  ["who approved the change that moved the PACS database?", [L("chg/chg-10433", "chg:approved_by"), L("chg/chg-10433", "chg:summary", 1)]],
  ["which department owns the system CHG-10470 affects?", [L("svc/adc", "svc_owner"), L("chg/chg-10470", "chg:affects", 1)]],
  ["where is the head of oncology based?", [L("staff/lucia-ferraro", "hr:site"), L("dept/onc", "org:head", 1)]],
  ["who is the chief pharmacist's manager?", [L("staff/farah-siddiqui", "hr:reports_to"), L("staff/farah-siddiqui", "hr:title", 1)]],
  ["which languages does the head of midwifery speak?", [L("staff/grace-mwangi", "languagesSpoken"), L("staff/grace-mwangi", "hr:title", 1)]],
  ["escalation contact for the system that sends lab results to the EHR", [L("svc/lis", "ops:escalation"), L("iface/lis-ehr-results", "if:from", 1)]],
  ["who chairs the committee that approves changes?", [L("cmte/cab", "cmte:chair"), L("cmte/cab", "org:name", 1)]],
  ["cost centre of the department Pedro Alves works in", [L("dept/path", "fin:cost_centre"), L("staff/pedro-alves", "hr:dept", 1)]],
  ["when is the policy Jonah Whitfield owns due for review?", [L("policy/clin-031", "policy:next_review"), L("policy/clin-031", "policy:owner", 1)]],
  ["which vendor supplies the system Ethan Cole administers?", [L("svc/emar", "procurement:vendor"), L("svc/emar", "access:admin", 1)]],
  ["annual value of the PACS contract", [L("contract/ct-2310", "contract:annual_value_gbp"), L("contract/ct-2310", "contract:covers", 1)]],
  ["who manages the engineer on call for the fax gateway?", [L("staff/callum-fraser", "hr:reports_to"), L("svc/fax-gw", "has-oncall", 1)]],
  ["extension of the Kestrel Ward manager", [L("staff/fiona-grant", "contact:ext"), L("ward/kestrel", "ward_manager", 1)]],
  [
    "where does the head of the department responsible for the blood bank fridge work?",
    [L("staff/samuel-mensah", "hr:site"), L("device/bloodfridge-nbh-3", "asset:custodian", 1), L("dept/path", "org:head", 1)],
  ],
  ["message types sent from the EHR to the LIS", [L("iface/ehr-lis-orders", "if:msg"), L("iface/ehr-lis-orders", "if:from", 1), L("iface/ehr-lis-orders", "if:to", 1)]],
  ["who is the account manager at the company that supplies the EHR?", [L("vendor/halcyon", "vendor:account_manager"), L("svc/ehr", "procurement:vendor", 1)]],
  ["mobile number of Halcyon's account manager", [L("ext/tschmidt", "contact:mobile"), L("vendor/halcyon", "vendor:account_manager", 1)]],
  ["who led the response to the nurse call incident?", [L("inc/inc-0912", "inc:commander"), L("inc/inc-0912", "inc:affected", 1)]],
  [
    "what tier are the systems Niamh Gallagher administers?",
    [L("svc/pacs", "ops:tier"), L("svc/ris", "ops:tier"), L("svc/pacs", "access:admin", 1), L("svc/ris", "access:admin", 1)],
  ],
  ["when was the ICU head hired?", [L("staff/tomasz-wrobel", "hr:hire_date"), L("dept/icu", "org:head", 1)]],
];

/** Questions the store cannot answer. */
const OUT_OF_DOMAIN: string[] = [
  "best way to cook a mushroom risotto",
  "who won the rugby world cup in 2019",
  "how tall is mount kilimanjaro",
  "when do the clocks go back in the uk",
  "how do you say thank you in icelandic",
  "what is the capital of canada",
  "how to get red wine out of a carpet",
  "recommend a good science fiction novel",
  "how many players are on a netball team",
  "what year did the berlin wall fall",
  "how to descale a kettle",
  "cheapest train tickets from leeds to york",
  "boiling point of water at high altitude",
  "how do I change a car tyre",
  "weather forecast for the weekend",
  "easy knitting pattern for a scarf",
  "how to repot an orchid",
  "who painted girl with a pearl earring",
  "rules of padel",
  "how long should green tea steep",
  "what is a normal resting heart rate for adults",
  "maximum daily dose of paracetamol",
  "symptoms of appendicitis in children",
  "how is type 2 diabetes diagnosed",
  "what does a raised CRP mean",
  "which vaccines do I need before travelling to kenya",
  "how long does a broken wrist take to heal",
  "how is the glasgow coma scale scored",
  "what is on the staff canteen menu today",
  "how do I book annual leave",
  "where can I lock up my bike at the hospital",
];

function build(cls: MeridianClass, prefix: string, rows: [string, Label[]][]): MeridianQuery[] {
  return rows.map(([q, labels], i) => ({ id: `${prefix}${String(i + 1).padStart(2, "0")}`, cls, q, labels }));
}

/** Every held-out question, in a fixed order; ids are prefixed `h` to set them apart from Acme's. */
export const MERIDIAN_QUERIES: readonly MeridianQuery[] = [
  ...build("direct", "hd", DIRECT),
  ...build("relation", "hr", RELATION),
  ...build("relation_value", "hv", RELATION_VALUE),
  ...build("paraphrase", "hp", PARAPHRASE),
  ...build("alias", "ha", ALIAS),
  ...build("multi_hop", "hm", MULTI_HOP),
  ...OUT_OF_DOMAIN.map((q, i) => ({ id: `ho${String(i + 1).padStart(2, "0")}`, cls: "out_of_domain" as const, q, labels: [] })),
];
