//! The Statement of Applicability, computed (6.1.3 d–f): for every Annex A control and every control of the
//! organization's own, whether it applies and why — the risks it treats, impact-assessment outcomes, legal,
//! contractual and interested-party reasons — or why it is excluded; its status, owner and evidence. Also the
//! comparison of two versions and the drift of the live state from the approved one.

use crate::controls::{ControlImplementation, Inheritance};
use crate::vocab::ImplementationStatus;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// An Annex A control as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogControl {
    /// Identifier (`A.6.2.4`).
    pub control: String,
    /// Short title.
    pub title: String,
    /// Control objective it belongs to (`A.6.2`).
    pub objective: String,
}

/// A risk that a treatment plan treats with some controls (borrowed, so that a hundred thousand of them cost no
/// copies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreatedRisk<'a> {
    /// Risk id.
    pub risk_id: &'a str,
    /// Risk title.
    pub title: &'a str,
    /// Controls the risk's treatment plans name.
    pub controls: &'a [String],
}

/// Any other source of inclusion reasons computed from records: impact assessments and legal duties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedReason {
    /// Kind of reason (`impact`, `legal`).
    pub kind: String,
    /// Id or reference of the record behind the reason.
    pub reference: String,
    /// What people read.
    pub label: String,
    /// Controls the reason calls for.
    pub controls: Vec<String>,
}

/// One reason on an SoA line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SoaReason {
    /// `risk`, `impact`, `legal`, `contractual`, `interested_party` or `business`.
    pub kind: String,
    /// Id of the record or the reference the reason rests on.
    pub reference: String,
    /// What people read.
    pub label: String,
}

/// One line of the Statement of Applicability.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoaEntry {
    /// Control identifier.
    pub control: String,
    /// Control title.
    pub title: String,
    /// Control objective (`A.6.2`), or `org` for the organization's own controls.
    pub objective: String,
    /// `annex_a` or `organization`.
    pub source: String,
    /// Whether the control is included.
    pub applicable: bool,
    /// Whether the organization has decided on the control: it records an implementation or a justified
    /// exclusion, or a risk, assessment or requirement calls for it. An undecided line is not included, and not
    /// excluded either.
    #[serde(default = "decided")]
    pub decided: bool,
    /// Why it is included (sorted).
    pub reasons: Vec<SoaReason>,
    /// Why it is excluded.
    pub justification: String,
    /// Implementation status ([`ImplementationStatus`]); `not_started` for an included control without a record,
    /// `undecided` while nothing is decided.
    pub status: String,
    /// Owner.
    pub owner: String,
    /// How the control is met.
    pub description: String,
    /// Certified supplier the control is inherited from.
    pub inherited: Option<Inheritance>,
    /// Evidence links.
    pub evidence: Vec<String>,
    /// Id of the implementation record, empty when there is none.
    pub implementation_id: String,
    /// What stops this line from being approved, in plain words; empty when the line is sound.
    pub problems: Vec<String>,
}

/// Lines frozen in an approved version were all decided.
fn decided() -> bool {
    true
}

/// The status of a line nobody has decided on yet.
pub const UNDECIDED: &str = "undecided";

/// An implementation record with its id.
#[derive(Debug, Clone)]
pub struct ImplementationRef<'a> {
    /// Record id.
    pub id: &'a str,
    /// The implementation.
    pub implementation: &'a ControlImplementation,
}

/// Computes the Statement of Applicability: Annex A controls in catalogue order, then the organization's own. A
/// control nobody has decided on is a problem only once the organization has recorded a first decision (it has
/// started its SoA); approval needs every line decided either way.
pub fn compute(
    catalog: &[CatalogControl],
    implementations: &[ImplementationRef<'_>],
    treated: &[TreatedRisk<'_>],
    derived: &[DerivedReason],
) -> Vec<SoaEntry> {
    let mut reasons: HashMap<&str, Vec<SoaReason>> = HashMap::new();
    for r in treated {
        for c in r.controls {
            reasons.entry(c.as_str()).or_default().push(SoaReason {
                kind: "risk".into(),
                reference: r.risk_id.to_string(),
                label: r.title.to_string(),
            });
        }
    }
    for d in derived {
        for c in &d.controls {
            reasons.entry(c.as_str()).or_default().push(SoaReason {
                kind: d.kind.clone(),
                reference: d.reference.clone(),
                label: d.label.clone(),
            });
        }
    }
    let by_control: HashMap<&str, &ImplementationRef<'_>> = implementations
        .iter()
        .map(|i| (i.implementation.control.as_str(), i))
        .collect();
    let started = !implementations.is_empty();
    let mut out = Vec::with_capacity(catalog.len() + implementations.len());
    for c in catalog {
        out.push(line(
            started,
            &c.control,
            &c.title,
            &c.objective,
            "annex_a",
            by_control.get(c.control.as_str()).copied(),
            reasons.remove(c.control.as_str()).unwrap_or_default(),
        ));
    }
    let mut own: Vec<&ImplementationRef<'_>> = implementations
        .iter()
        .filter(|i| {
            !catalog
                .iter()
                .any(|c| c.control == i.implementation.control)
        })
        .collect();
    own.sort_by(|a, b| a.implementation.control.cmp(&b.implementation.control));
    for i in own {
        let r = reasons
            .remove(i.implementation.control.as_str())
            .unwrap_or_default();
        out.push(line(
            started,
            &i.implementation.control,
            &i.implementation.title,
            crate::controls::ORG_FRAMEWORK,
            "organization",
            Some(i),
            r,
        ));
    }
    out
}

fn line(
    started: bool,
    control: &str,
    title: &str,
    objective: &str,
    source: &str,
    imp: Option<&ImplementationRef<'_>>,
    mut derived: Vec<SoaReason>,
) -> SoaEntry {
    let mut problems = Vec::new();
    let (applicable, mut reasons, justification) = match imp {
        Some(i) => {
            let recorded: Vec<SoaReason> = i
                .implementation
                .reasons
                .iter()
                .map(|r| SoaReason {
                    kind: r.kind.clone(),
                    reference: r.reference.clone(),
                    label: if r.note.is_empty() {
                        r.reference.clone()
                    } else {
                        r.note.clone()
                    },
                })
                .collect();
            if i.implementation.is_excluded() {
                if i.implementation.justification.trim().is_empty() {
                    problems.push("excluded without a justification".to_string());
                }
                for r in &derived {
                    problems.push(format!(
                        "excluded, but {} calls for it: {}",
                        describe_kind(&r.kind),
                        r.label
                    ));
                }
                (false, derived, i.implementation.justification.clone())
            } else {
                derived.extend(recorded);
                (true, derived, String::new())
            }
        }
        None if !derived.is_empty() => (true, derived, String::new()),
        None => {
            if started {
                problems.push(
                    "no decision recorded yet (record an implementation or a justified exclusion)"
                        .to_string(),
                );
            }
            (false, derived, String::new())
        }
    };
    if applicable && reasons.is_empty() {
        problems.push("included without a reason for inclusion".to_string());
    }
    reasons.sort();
    reasons.dedup();
    let decided = imp.is_some() || applicable;
    let status = match (imp, applicable) {
        (Some(i), _) => i.implementation.status.clone(),
        (None, true) => ImplementationStatus::NotStarted.as_str().to_string(),
        (None, false) => UNDECIDED.to_string(),
    };
    let (owner, description, inherited, evidence, id) = match imp {
        Some(i) => (
            i.implementation.owner.clone(),
            i.implementation.description.clone(),
            i.implementation.inherited.clone(),
            i.implementation.evidence.clone(),
            i.id.to_string(),
        ),
        None => Default::default(),
    };
    let title = if title.is_empty() {
        imp.map(|i| i.implementation.title.clone())
            .unwrap_or_default()
    } else {
        title.to_string()
    };
    SoaEntry {
        control: control.to_string(),
        title,
        objective: objective.to_string(),
        source: source.to_string(),
        applicable,
        decided,
        reasons,
        justification,
        status,
        owner,
        description,
        inherited,
        evidence,
        implementation_id: id,
        problems,
    }
}

fn describe_kind(kind: &str) -> &'static str {
    match kind {
        "risk" => "the treatment of risk",
        "impact" => "the impact assessment",
        "legal" => "the legal duty",
        "interested_party" => "the interested party's requirement",
        _ => "a requirement",
    }
}

/// Counts of an SoA, for dashboards and the table header.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaSummary {
    /// Lines in total.
    pub controls: usize,
    /// Included controls.
    pub applicable: usize,
    /// Excluded controls (decided, not included).
    pub excluded: usize,
    /// Controls nobody has decided on yet.
    #[serde(default)]
    pub undecided: usize,
    /// Included controls per implementation status.
    pub by_status: BTreeMap<String, usize>,
    /// Lines that stop approval.
    pub with_problems: usize,
}

/// Summarises SoA lines.
pub fn summarise(entries: &[SoaEntry]) -> SoaSummary {
    let mut s = SoaSummary {
        controls: entries.len(),
        ..SoaSummary::default()
    };
    for e in entries {
        if e.applicable {
            s.applicable += 1;
            *s.by_status.entry(e.status.clone()).or_default() += 1;
        } else if e.decided {
            s.excluded += 1;
        } else {
            s.undecided += 1;
        }
        if !e.problems.is_empty() {
            s.with_problems += 1;
        }
    }
    s
}

/// A risk as it stood when an SoA version was approved (part of the frozen treatment plan).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSnapshot {
    /// Risk id.
    pub id: String,
    /// Record version at approval.
    pub version: i64,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Residual level of the latest assessment.
    pub residual_level: String,
    /// Controls named by its treatment plans.
    pub controls: Vec<String>,
    /// Who accepted the residual risk, if anyone ("name, role, date").
    pub accepted_by: String,
}

/// One changed field of one SoA line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Field name.
    pub field: String,
    /// Value in the older state.
    pub before: String,
    /// Value in the newer state.
    pub after: String,
}

/// What changed for one control or risk between two states.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaChange {
    /// `control` or `risk`.
    pub subject: String,
    /// Control identifier or risk id.
    pub reference: String,
    /// Title, for people.
    pub title: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// The fields that changed (for `changed`).
    pub fields: Vec<FieldChange>,
}

fn reasons_text(r: &[SoaReason]) -> String {
    r.iter()
        .map(|r| format!("{}:{} ({})", r.kind, r.reference, r.label))
        .collect::<Vec<_>>()
        .join("; ")
}

fn entry_fields(e: &SoaEntry) -> Vec<(&'static str, String)> {
    vec![
        (
            "applicable",
            if e.applicable { "yes" } else { "no" }.to_string(),
        ),
        ("status", e.status.clone()),
        ("reasons", reasons_text(&e.reasons)),
        ("justification", e.justification.clone()),
        ("owner", e.owner.clone()),
        (
            "inherited",
            e.inherited
                .as_ref()
                .map(|i| format!("{} / {}", i.supplier_id, i.certificate_id))
                .unwrap_or_default(),
        ),
        ("evidence", e.evidence.join("; ")),
    ]
}

fn risk_fields(r: &RiskSnapshot) -> Vec<(&'static str, String)> {
    vec![
        ("version", r.version.to_string()),
        ("title", r.title.clone()),
        ("status", r.status.clone()),
        ("residual_level", r.residual_level.clone()),
        ("controls", r.controls.join(", ")),
        ("accepted_by", r.accepted_by.clone()),
    ]
}

fn compare<T>(
    subject: &str,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> &str,
    title: impl Fn(&T) -> &str,
    fields: impl Fn(&T) -> Vec<(&'static str, String)>,
) -> Vec<SoaChange> {
    let old: HashMap<&str, &T> = before.iter().map(|x| (key(x), x)).collect();
    let new: HashMap<&str, &T> = after.iter().map(|x| (key(x), x)).collect();
    let mut out = Vec::new();
    for a in after {
        match old.get(key(a)) {
            None => out.push(SoaChange {
                subject: subject.into(),
                reference: key(a).into(),
                title: title(a).into(),
                change: "added".into(),
                fields: vec![],
            }),
            Some(b) => {
                let changed: Vec<FieldChange> = fields(b)
                    .into_iter()
                    .zip(fields(a))
                    .filter(|((_, x), (_, y))| x != y)
                    .map(|((f, x), (_, y))| FieldChange {
                        field: f.into(),
                        before: x,
                        after: y,
                    })
                    .collect();
                if !changed.is_empty() {
                    out.push(SoaChange {
                        subject: subject.into(),
                        reference: key(a).into(),
                        title: title(a).into(),
                        change: "changed".into(),
                        fields: changed,
                    });
                }
            }
        }
    }
    for b in before {
        if !new.contains_key(key(b)) {
            out.push(SoaChange {
                subject: subject.into(),
                reference: key(b).into(),
                title: title(b).into(),
                change: "removed".into(),
                fields: vec![],
            });
        }
    }
    out
}

/// What changed between two states of the SoA and its treatment plan: control lines first, then risks.
pub fn diff(
    before: &[SoaEntry],
    before_risks: &[RiskSnapshot],
    after: &[SoaEntry],
    after_risks: &[RiskSnapshot],
) -> Vec<SoaChange> {
    let mut out = compare(
        "control",
        before,
        after,
        |e| e.control.as_str(),
        |e| e.title.as_str(),
        entry_fields,
    );
    out.extend(compare(
        "risk",
        before_risks,
        after_risks,
        |r| r.id.as_str(),
        |r| r.title.as_str(),
        risk_fields,
    ));
    out
}

/// An approved, frozen version of the Statement of Applicability, together with the treatment plan (the treated
/// risks, their residual levels and acceptances) it was approved with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoaVersion {
    /// Version number (1, 2, …).
    pub number: i64,
    /// Named person who approved it.
    pub approved_by: String,
    /// Their role (e.g. "Chief Executive Officer").
    pub approver_role: String,
    /// Day of approval (YYYY-MM-DD).
    pub approved_at: String,
    /// Note on the approval.
    pub note: String,
    /// Counts at approval.
    pub summary: SoaSummary,
    /// The frozen lines.
    pub entries: Vec<SoaEntry>,
    /// The frozen treatment plan: every risk a line refers to.
    pub risks: Vec<RiskSnapshot>,
}

/// Who approves a version of the SoA, and why.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoaApproval {
    /// Named person approving.
    pub approved_by: String,
    /// Their role.
    pub approver_role: String,
    /// Note on the approval.
    #[serde(default)]
    pub note: String,
}

/// "1 in-scope AI system has" or "3 in-scope AI systems have".
fn systems_have(n: i64) -> String {
    if n == 1 {
        "1 in-scope AI system has".to_string()
    } else {
        format!("{n} in-scope AI systems have")
    }
}

/// A hint that an excluded control may have become applicable because of what the organization now does.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicabilityHint {
    /// The excluded control.
    pub control: String,
    /// Why it may apply now.
    pub message: String,
}

/// Facts about the organization's AI systems that bear on applicability: in-scope, live systems per role.
#[derive(Debug, Clone, Default)]
pub struct SystemFacts {
    /// (role, number of systems, an example name).
    pub roles: Vec<(String, i64, String)>,
    /// Names of in-scope systems with supplier components (first few).
    pub with_suppliers: Vec<String>,
}

/// Flags excluded controls that the organization's current AI systems make relevant: development controls
/// (A.6) when it develops or provides a system, responsibilities and suppliers (A.10.2, A.10.3) when a system
/// relies on suppliers, customers (A.10.4) when it provides a system to others.
pub fn applicability_hints(entries: &[SoaEntry], facts: &SystemFacts) -> Vec<ApplicabilityHint> {
    let mut out = Vec::new();
    let builds: Vec<&(String, i64, String)> = facts
        .roles
        .iter()
        .filter(|(r, n, _)| (r == "provider" || r == "developer") && *n > 0)
        .collect();
    // Only decided exclusions get a hint; an undecided control is listed as undecided already.
    for e in entries
        .iter()
        .filter(|e| e.decided && !e.applicable && e.source == "annex_a")
    {
        if e.control.starts_with("A.6.")
            && let Some((role, n, example)) = builds.first()
        {
            out.push(ApplicabilityHint {
                control: e.control.clone(),
                message: format!(
                    "{} the organization as {role} (e.g. '{example}'); this development control is excluded",
                    systems_have(*n)
                ),
            });
        }
        if matches!(e.control.as_str(), "A.10.2" | "A.10.3") && !facts.with_suppliers.is_empty() {
            out.push(ApplicabilityHint {
                control: e.control.clone(),
                message: format!(
                    "in-scope AI systems rely on suppliers (e.g. '{}'); this control on third-party relationships \
                     is excluded",
                    facts.with_suppliers[0]
                ),
            });
        }
        if e.control == "A.10.4"
            && let Some((_, n, example)) = facts
                .roles
                .iter()
                .find(|(r, n, _)| r == "provider" && *n > 0)
        {
            out.push(ApplicabilityHint {
                control: e.control.clone(),
                message: format!(
                    "{} the organization as provider, so others use them (e.g. '{example}'); this customer control \
                     is excluded",
                    systems_have(*n)
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Vec<CatalogControl> {
        ["A.2.2", "A.6.2.4", "A.10.3"]
            .iter()
            .map(|c| CatalogControl {
                control: c.to_string(),
                title: format!("title {c}"),
                objective: "A.x".into(),
            })
            .collect()
    }

    fn imp(control: &str, status: &str, justification: &str) -> ControlImplementation {
        ControlImplementation {
            status: status.into(),
            owner: "CISO".into(),
            justification: justification.into(),
            ..ControlImplementation::new(control)
        }
    }

    /// The SoA over [`cat`] with the one implementation `a` (record `i1`) and risk `r1`, titled `risk`, treated
    /// with A.6.2.4.
    fn with_treated_risk(a: &ControlImplementation, risk: &str) -> Vec<SoaEntry> {
        let impls = [ImplementationRef {
            id: "i1",
            implementation: a,
        }];
        let controls = vec!["A.6.2.4".to_string()];
        let treated = [TreatedRisk {
            risk_id: "r1",
            title: risk,
            controls: &controls,
        }];
        compute(&cat(), &impls, &treated, &[])
    }

    /// The SoA over the first control of [`cat`] with the one implementation `a` (record `i`) and no risks.
    fn first_line(a: &ControlImplementation) -> Vec<SoaEntry> {
        let impls = [ImplementationRef {
            id: "i",
            implementation: a,
        }];
        compute(&cat()[..1], &impls, &[], &[])
    }

    #[test]
    fn hints_name_the_right_group_and_leave_undecided_lines_alone() {
        let cat: Vec<CatalogControl> = ["A.6.2.2", "A.10.3", "A.10.4"]
            .iter()
            .map(|c| CatalogControl {
                control: c.to_string(),
                title: String::new(),
                objective: String::new(),
            })
            .collect();
        let facts = SystemFacts {
            roles: vec![("provider".into(), 1, "Scorer".into())],
            with_suppliers: vec!["Scorer".into()],
        };
        let undecided = compute(&cat, &[], &[], &[]);
        assert!(applicability_hints(&undecided, &facts).is_empty());
        let excluded: Vec<ControlImplementation> = ["A.6.2.2", "A.10.3", "A.10.4"]
            .iter()
            .map(|c| imp(c, "not_applicable", "not for us"))
            .collect();
        let refs: Vec<ImplementationRef<'_>> = excluded
            .iter()
            .map(|i| ImplementationRef {
                id: "i",
                implementation: i,
            })
            .collect();
        let hints = applicability_hints(&compute(&cat, &refs, &[], &[]), &facts);
        let by = |c: &str| {
            hints
                .iter()
                .find(|h| h.control == c)
                .map(|h| h.message.clone())
        };
        assert!(by("A.6.2.2").is_some_and(|m| m.starts_with("1 in-scope AI system has")));
        assert!(by("A.10.3").is_some_and(|m| m.contains("third-party relationships")));
        assert!(
            by("A.10.4").is_some_and(|m| m.contains("customer control") && !m.contains("supplier"))
        );
    }

    #[test]
    fn a_fresh_soa_is_undecided_without_problems() {
        let soa = compute(&cat(), &[], &[], &[]);
        assert!(
            soa.iter()
                .all(|e| !e.decided && !e.applicable && e.problems.is_empty())
        );
        let s = summarise(&soa);
        assert_eq!(
            (s.applicable, s.excluded, s.undecided, s.with_problems),
            (0, 0, soa.len(), 0)
        );
    }

    #[test]
    fn risk_reason_makes_control_applicable_and_exclusion_needs_justification() {
        let a = imp("A.10.3", "not_applicable", "");
        let soa = with_treated_risk(&a, "Biased ranking");
        assert_eq!(soa.len(), 3);
        assert!(!soa[0].applicable);
        assert!(soa[0].problems[0].contains("no decision"));
        assert!(soa[1].applicable);
        assert_eq!(soa[1].reasons[0].reference, "r1");
        assert_eq!(soa[1].status, "not_started");
        assert!(soa[1].problems.is_empty());
        assert!(!soa[2].applicable);
        assert_eq!(soa[2].problems, ["excluded without a justification"]);
        let s = summarise(&soa);
        // The first line is undecided, not excluded: it counts as a problem because A.10.3 has a decision.
        assert!(!soa[0].decided && soa[0].status == UNDECIDED);
        assert_eq!(
            (s.applicable, s.excluded, s.undecided, s.with_problems),
            (1, 1, 1, 2)
        );
    }

    #[test]
    fn excluded_control_that_treats_a_risk_is_a_problem() {
        let a = imp("A.6.2.4", "not_applicable", "we buy, not build");
        let soa = with_treated_risk(&a, "Drift");
        assert!(!soa[1].applicable);
        assert!(soa[1].problems[0].contains("excluded, but the treatment of risk calls for it"));
    }

    #[test]
    fn diff_names_changed_fields_added_and_removed() {
        let a = imp("A.2.2", "planned", "");
        let b = imp("A.2.2", "implemented", "");
        let before = first_line(&a);
        let after = first_line(&b);
        let r1 = RiskSnapshot {
            id: "r1".into(),
            version: 1,
            title: "t".into(),
            status: "open".into(),
            residual_level: "high".into(),
            controls: vec![],
            accepted_by: String::new(),
        };
        let mut r1b = r1.clone();
        r1b.version = 2;
        r1b.residual_level = "low".into();
        let d = diff(&before, std::slice::from_ref(&r1), &after, &[r1b]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].fields[0].field, "status");
        assert_eq!(d[0].fields[0].before, "planned");
        assert_eq!(d[1].subject, "risk");
        let fields: Vec<&str> = d[1].fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["version", "residual_level"]);
        let d = diff(&before, &[r1], &[], &[]);
        assert_eq!(d.iter().filter(|c| c.change == "removed").count(), 2);
    }
}
