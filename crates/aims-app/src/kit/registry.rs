//! The list of kit record types. The REST API, the pages, the CLI nouns and the organization import all walk
//! this list, so a new record type is added here once and gets every face.

use super::{Record, Step};
use aims_domain::context::{ContextIssue, InterestedParty, Supplier};
use aims_domain::impact::ImpactAssessment;
use aims_domain::inventory::{AiSystem, CustomFieldDef};
use aims_domain::risk::{Risk, Treatment};

/// Something done for each kit record type (register its routes, add its CLI noun, read its import section).
pub trait RecordVisitor {
    /// Called once per record type, in the order of [`each_record`].
    fn visit<T: Record>(&mut self);
}

/// Calls `v` for every kit record type: a new record type adds its line here.
pub fn each_record<V: RecordVisitor>(v: &mut V) {
    v.visit::<ContextIssue>();
    v.visit::<InterestedParty>();
    v.visit::<Supplier>();
    v.visit::<CustomFieldDef>();
}

/// Calls `v` for every record type that writes through the kit but keeps its own pages and CLI noun (declared
/// with `def_with_own_faces!`): the REST API serves their create, read, replace and history (and their list when
/// they declare the field it is filtered by) beside their own endpoints.
pub fn each_record_with_own_faces<V: RecordVisitor>(v: &mut V) {
    v.visit::<AiSystem>();
    v.visit::<Risk>();
    v.visit::<Treatment>();
    v.visit::<ImpactAssessment>();
}

/// Something done for each workflow step (serve it in the API).
pub trait StepVisitor {
    /// Called once per step, in the order of [`each_step`].
    fn visit<S: Step>(&mut self);
}

/// Calls `v` for every workflow step of the kit's record types: a new step adds its line here.
pub fn each_step<V: StepVisitor>(v: &mut V) {
    v.visit::<crate::systems::RetireSystem>();
    v.visit::<crate::risks::AssessRisk>();
    v.visit::<crate::risks::AcceptResidualRisk>();
    v.visit::<crate::impact::ApproveImpact>();
}
