/**
 * The shape of a published conformance vector file (see
 * ../shared/conformance/README.md).
 *
 * @module
 */
export interface VectorFile {
  spec_section: string;
  title: string;
  description: string;
  requires_plugin?: string;
  seed_fact?: unknown;
  vectors: Vector[];
}

export interface Vector {
  id: string;
  description: string;
  method: string;
  path: string;
  body: unknown;
  expected_status?: number;
  expected_status_in?: number[];
  expected_body_has_keys?: string[];
  expected_body_contains?: Record<string, unknown>;
  expected_nested?: Record<string, unknown>;
  expected_body_list_contains?: Record<string, unknown>;
  expected_body_value_in?: Record<string, unknown[]>;
  expected_response_is_list?: boolean;
  expected_members_contain_role?: string;
  expected_field_starts_with?: Record<string, string>;
  expected_field_length?: Record<string, number>;
  expected_first_fact_has_keys?: string[];
  expected_first_fact_score_breakdown_keys?: string[];
  requires_setup?: string;
  requires_auth?: boolean;
  requires_garden?: string;
}
