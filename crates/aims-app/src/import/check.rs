//! The check before anything is written: every record of the document goes through the same domain validation
//! its use case runs, every `ref` and `actor` must resolve, and every actor's role must allow the step; all
//! problems are reported together, each with its path.

use super::doc::{Document, Entry, Step};
use super::refs::{Kind, Refs, prefixed};
use crate::OrgId;
use crate::kit::Record;
use crate::risks::{catalog_refs, default_method};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::context::ScopeVersion;
use aims_domain::error::{MAX_NAME, MAX_TEXT, check_len, check_required_text};
use aims_domain::inventory::CustomFieldDef;
use aims_domain::risk::{Acceptance, RiskMethod};
use aims_domain::soa::SoaApproval;
use aims_domain::users::normalise_email;
use aims_domain::vocab::MemberRole;
use std::collections::{HashMap, HashSet};

/// Who may act in the import: the document's users by ref, each with their role, and the importer.
#[derive(Debug, Clone)]
pub(crate) struct Actors {
    importer: Actor,
    by_ref: HashMap<String, Actor>,
}

impl Actors {
    /// The actor an item names, or the importer when it names none (unknown refs are refused by the check).
    pub(crate) fn of<T>(&self, e: &Entry<T>) -> Actor {
        e.actor
            .as_ref()
            .and_then(|r| self.by_ref.get(r))
            .unwrap_or(&self.importer)
            .clone()
    }
}

/// What the check learns about the target organization.
struct State {
    actors: Actors,
    errs: ValidationError,
    refs: Refs,
    known_controls: Vec<String>,
    annex_a: Vec<String>,
    fields: Vec<CustomFieldDef>,
    method: RiskMethod,
}

impl State {
    /// Checks that the item's actor exists and that their role allows `p`.
    fn allow<T>(&mut self, e: &Entry<T>, p: Permission) {
        if let Some(r) = &e.actor
            && !self.actors.by_ref.contains_key(r)
        {
            self.errs.push(
                format!("{}.actor", e.path),
                format!("no user with ref '{r}' in the users section"),
            );
            return;
        }
        if let Err(AppError::Forbidden(m)) = self.actors.of(e).require(p) {
            self.errs.push(format!("{}.actor", e.path), m);
        }
    }

    /// Registers an item's ref, refusing a ref used twice for the same kind of record.
    fn key<T>(&mut self, kind: Kind, e: &Entry<T>) {
        if let Some(k) = &e.key {
            if self.refs.id(kind, k).is_some() {
                self.errs.push(
                    format!("{}.ref", e.path),
                    format!("'{k}' is already the ref of another {}", kind.noun()),
                );
            } else {
                self.refs.add(kind, k, aims_domain::new_id());
            }
        }
    }

    /// Runs a record's own validation, naming its problems under the item's path.
    fn validate(&mut self, path: &str, r: Result<(), ValidationError>) {
        prefixed(&mut self.errs, path, r);
    }
}

/// Checks a document against the target organization (`None`: a new one) without writing anything.
pub(crate) async fn check(
    app: &App,
    importer: &Actor,
    org: Option<&OrgId>,
    doc: &Document,
) -> Result<Actors, AppError> {
    let mut s = State {
        actors: Actors {
            importer: importer.clone(),
            by_ref: HashMap::new(),
        },
        errs: ValidationError::default(),
        refs: Refs::default(),
        known_controls: vec![],
        annex_a: catalog_refs("control")?,
        fields: vec![],
        method: default_method()?,
    };
    let mut members = HashSet::new();
    if let Some(org) = org {
        for m in app.members(importer, org).await? {
            members.insert(m.user.email);
        }
        s.fields = app
            .list_records::<CustomFieldDef>(importer, org)
            .await?
            .into_iter()
            .map(|f| f.data)
            .collect();
        s.known_controls = app
            .controls(importer, org)
            .await?
            .into_iter()
            .map(|c| c.data.control)
            .collect();
        s.method = app.risk_method(importer, org).await?;
    }
    for c in &s.annex_a {
        if !s.known_controls.contains(c) {
            s.known_controls.push(c.clone());
        }
    }

    match &doc.organization {
        Some(e) => {
            s.allow(e, Permission::Administer);
            let mut o = e.data.clone();
            s.validate(&e.path, o.normalise_and_validate());
            if let Some(other) = app.organizations().await?.into_iter().find(|x| {
                x.data.slug == o.slug && org.is_none_or(|org| x.id.as_str() != org.as_str())
            }) {
                s.errs.push(
                    "organization.slug",
                    format!(
                        "an organization with slug '{}' already exists",
                        other.data.slug
                    ),
                );
            }
        }
        None if org.is_none() => s.errs.push(
            "organization",
            "is needed to create a new organization (at least its name and slug)",
        ),
        None => {}
    }

    let mut emails = HashSet::new();
    for e in &doc.users {
        let role = MemberRole::parse("role", &e.data.role);
        s.validate(&e.path, role.as_ref().map(|_| ()).map_err(Clone::clone));
        match normalise_email("email", &e.data.email) {
            Ok(email) => {
                if !emails.insert(email.clone()) {
                    s.errs.push(
                        format!("{}.email", e.path),
                        format!("{email} is listed twice"),
                    );
                } else if members.contains(&email) {
                    s.errs.push(
                        format!("{}.email", e.path),
                        format!("{email} is already a member of this organization"),
                    );
                }
                if let (Some(k), Ok(role)) = (&e.key, role) {
                    if s.actors.by_ref.contains_key(k) {
                        s.errs.push(
                            format!("{}.ref", e.path),
                            format!("'{k}' is already the ref of another user"),
                        );
                    }
                    s.actors
                        .by_ref
                        .insert(k.clone(), Actor::member(&email, role));
                }
            }
            Err(v) => s.validate(&e.path, Err(v)),
        }
        let mut name = ValidationError::default();
        check_required_text(&mut name, "name", &e.data.name, MAX_NAME);
        s.validate(&e.path, name.into_result());
    }

    for e in &doc.scope {
        s.allow(e, Permission::Write);
        let d = &e.data.draft;
        let v = ScopeVersion {
            number: 0,
            status: String::new(),
            statement: d.statement.clone(),
            boundaries: d.boundaries.clone(),
            exclusions: d.exclusions.clone(),
            approved_by: String::new(),
            approved_at: String::new(),
            approval_note: String::new(),
        };
        s.validate(&e.path, v.validate());
        if let Some(a) = &e.data.approve {
            s.allow(a, Permission::Approve);
            let mut errs = ValidationError::default();
            check_len(&mut errs, "note", &a.data.note, MAX_TEXT);
            s.validate(&a.path, errs.into_result());
        }
    }

    check_kit_sections(&mut s, doc);
    for e in &doc.suppliers {
        s.key(Kind::Supplier, e);
    }
    check_records(&mut s, &doc.suppliers, |_, _| {});
    for e in &doc.custom_fields {
        s.allow(e, Permission::Administer);
        let mut f = e.data.clone();
        s.validate(&e.path, f.prepare());
        if s.fields.iter().any(|x| x.key == f.key) {
            s.errs.push(
                format!("{}.key", e.path),
                format!("a custom field '{}' already exists", f.key),
            );
        }
        s.fields.push(f);
    }

    let mut doc_controls = Vec::new();
    for e in &doc.controls {
        check_control(&mut s, e);
        doc_controls.push(e.data.control.trim().to_string());
    }
    for c in doc_controls {
        if !s.known_controls.contains(&c) {
            s.known_controls.push(c);
        }
    }
    let known = s.known_controls.clone();
    check_records(&mut s, &doc.interested_parties, |p, errs| {
        for (field, c) in crate::context::party_control_refs(p) {
            if !known.contains(&c) {
                errs.push(
                    field,
                    format!(
                        "'{c}' is neither an Annex A control nor one of the organization's controls"
                    ),
                );
            }
        }
    });

    let mut roles = HashMap::new();
    for e in &doc.systems {
        s.allow(e, Permission::Write);
        let mut sys = e.data.system.clone();
        s.refs.link_system(&mut sys, &e.path, &mut s.errs);
        let fields = s.fields.clone();
        s.validate(&e.path, sys.normalise_and_validate(&fields));
        s.key(Kind::System, e);
        if let Some(k) = &e.key {
            roles.insert(k.clone(), sys.org_role.clone());
        }
        let mut current = sys;
        for c in &e.data.changes {
            s.allow(c, Permission::Write);
            let path = format!("{}.set", c.path);
            let patch = s.refs.link_patch(&c.data, &path, &mut s.errs);
            match crate::kit::merge_patch(&current, &patch, &path) {
                Ok(mut next) => {
                    s.validate(&path, next.normalise_and_validate(&fields));
                    current = next;
                }
                Err(v) => s.errs.errors.extend(v.errors),
            }
        }
        if let Some(r) = &e.data.retire {
            s.allow(r, Permission::Write);
            let mut errs = ValidationError::default();
            if aims_domain::context::parse_date(&r.data.on).is_none() {
                errs.push(
                    "on",
                    format!("'{}' is not a date in the form YYYY-MM-DD", r.data.on),
                );
            }
            if r.data.reason.trim().is_empty() {
                errs.push("reason", "say why the system is retired");
            }
            s.validate(&r.path, errs.into_result());
        }
    }

    if let Some(e) = &doc.risk_method {
        s.allow(e, Permission::Approve);
        s.validate(&e.path, e.data.validate());
        s.method = e.data.clone();
    }

    for e in &doc.classifications {
        s.allow(e, Permission::Write);
        let sys = s.refs.resolve(
            Kind::System,
            &e.data.system_id,
            &format!("{}.system_id", e.path),
            &mut s.errs,
        );
        let role = e
            .data
            .role
            .clone()
            .or_else(|| roles.get(&e.data.system_id).cloned());
        if let (Some(_), Some(role)) = (sys, role) {
            match crate::classify::preview(&role, &e.data.answers) {
                Ok(_) => {}
                Err(AppError::Invalid(v)) => s.validate(&e.path, Err(v)),
                Err(other) => return Err(other),
            }
        }
    }

    let templates = crate::impact::templates()?;
    for e in &doc.impact_assessments {
        s.allow(e, Permission::Write);
        let mut a = e.data.assessment.clone();
        if a.approval.is_some() || a.status != "draft" {
            s.errs.push(
                format!("{}.status", e.path),
                "an assessment is imported as a draft; approve it with `approve`",
            );
        }
        for (i, m) in a.impacts.iter().enumerate() {
            if !m.risk_id.is_empty() {
                s.errs.push(
                    format!("{}.impacts[{i}].risk_id", e.path),
                    "is set by aims when the harm raises a risk; refer to that risk as REF#INDEX",
                );
            }
        }
        s.refs.link_impact(&mut a, &e.path, &mut s.errs);
        match templates.iter().find(|t| t.id == a.template) {
            Some(t) => {
                let questions: Vec<String> = t.questions.iter().map(|q| q.id.clone()).collect();
                let method = s.method.clone();
                s.validate(
                    &e.path,
                    a.normalise_and_validate(&method, &known_controls(&s), &questions),
                );
            }
            None => s.errs.push(
                format!("{}.template", e.path),
                format!(
                    "unknown template '{}'; expected one of: {}",
                    a.template,
                    templates
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
        s.key(Kind::Impact, e);
        if let Some(k) = &e.key {
            for i in a.harms_above_appetite(&s.method) {
                s.refs
                    .add(Kind::Risk, &format!("{k}#{i}"), aims_domain::new_id());
            }
        }
        if let Some(ap) = &e.data.approve {
            s.allow(ap, Permission::Approve);
            check_acceptance(&mut s, &ap.path, &ap.data);
        }
    }

    let sources = catalog_refs("risk_source")?;
    let objectives = catalog_refs("annex_c_objective")?;
    for e in &doc.risks {
        s.allow(e, Permission::Write);
        let mut r = e.data.clone();
        s.refs.link_risk(&mut r, &e.path, &mut s.errs);
        s.validate(&e.path, r.normalise_and_validate(&sources, &objectives));
        if r.assessments.len() > 1 {
            s.errs.push(
                format!("{}.assessments", e.path),
                "a new risk takes at most one assessment; add later ones as assess_risk steps",
            );
        }
        let mut errs = ValidationError::default();
        for (i, a) in r.assessments.iter_mut().enumerate() {
            a.score_with(&s.method, &format!("assessments[{i}]"), &mut errs);
        }
        s.validate(&e.path, errs.into_result());
        s.key(Kind::Risk, e);
    }

    for e in &doc.treatments {
        s.allow(e, Permission::Write);
        let mut t = e.data.clone();
        if t.acceptance.is_some() {
            s.errs.push(
                format!("{}.acceptance", e.path),
                "residual-risk acceptance is an accept_treatment step, by someone allowed to approve",
            );
        }
        s.refs.link_treatment(&mut t, &e.path, &mut s.errs);
        s.validate(&e.path, t.normalise_and_validate(&known_controls(&s)));
        s.key(Kind::Treatment, e);
    }

    for e in &doc.steps {
        let at = |field: &str| format!("{}.{}.{field}", e.path, e.data.name());
        match &e.data {
            Step::AssessRisk { risk, assessment } => {
                s.allow(e, Permission::Write);
                s.refs.resolve(Kind::Risk, risk, &at("risk"), &mut s.errs);
                let mut errs = ValidationError::default();
                assessment
                    .clone()
                    .score_with(&s.method, "assessment", &mut errs);
                s.validate(&format!("{}.assess_risk", e.path), errs.into_result());
            }
            Step::AcceptTreatment {
                treatment,
                acceptance,
            } => {
                s.allow(e, Permission::Approve);
                let field = at("treatment");
                s.refs
                    .resolve(Kind::Treatment, treatment, &field, &mut s.errs);
                check_acceptance(&mut s, &at("acceptance"), acceptance);
            }
            Step::ApproveSoa(a) => {
                s.allow(e, Permission::Approve);
                check_soa_approval(&mut s, &e.action(a).path, a);
            }
            Step::SetControl(c) => check_control(&mut s, &e.action(c)),
        }
    }
    s.errs.into_result()?;
    Ok(s.actors)
}

fn known_controls(s: &State) -> Vec<String> {
    s.known_controls.clone()
}

/// Checks the items of the kit sections (see `doc::kit_sections`): each must read as its record type and pass
/// its own validation, entered by a user whose role may write it.
fn check_kit_sections(s: &mut State, doc: &Document) {
    struct Check<'a> {
        s: &'a mut State,
        doc: &'a Document,
    }
    impl crate::kit::RecordVisitor for Check<'_> {
        fn visit<T: Record>(&mut self) {
            let name = T::DEF.plural_snake();
            let Some((_, items)) = self.doc.kit.iter().find(|(n, _)| *n == name) else {
                return;
            };
            for e in items {
                self.s.allow(e, T::DEF.write);
                match super::doc::typed::<T>(&e.path, &e.data) {
                    Ok(mut r) => self.s.validate(&e.path, r.prepare()),
                    Err(v) => self.s.errs.errors.extend(v.errors),
                }
            }
        }
    }
    crate::kit::each_record(&mut Check { s, doc });
}

/// Checks plain records (parties, suppliers) with their own validation and `more`.
fn check_records<T: Record>(
    s: &mut State,
    items: &[Entry<T>],
    more: impl Fn(&T, &mut ValidationError),
) {
    for e in items {
        s.allow(e, T::DEF.write);
        let mut r = e.data.clone();
        s.validate(&e.path, r.prepare());
        let mut errs = ValidationError::default();
        more(&r, &mut errs);
        s.validate(&e.path, errs.into_result());
    }
}

fn check_control(s: &mut State, e: &Entry<aims_domain::controls::ControlImplementation>) {
    s.allow(e, Permission::Write);
    let mut c = e.data.clone();
    s.refs.link_control(&mut c, &e.path, &mut s.errs);
    let annex_a = s.annex_a.clone();
    s.validate(&e.path, c.normalise_and_validate(&annex_a));
}

fn check_acceptance(s: &mut State, path: &str, a: &Acceptance) {
    let mut errs = ValidationError::default();
    a.validate("", &mut errs);
    for f in &mut errs.errors {
        f.field = f.field.trim_start_matches('.').to_string();
    }
    s.validate(path, errs.into_result());
}

fn check_soa_approval(s: &mut State, path: &str, a: &SoaApproval) {
    let mut errs = ValidationError::default();
    check_required_text(&mut errs, "approved_by", &a.approved_by, MAX_NAME);
    check_required_text(&mut errs, "approver_role", &a.approver_role, MAX_NAME);
    check_len(&mut errs, "note", &a.note, MAX_TEXT);
    s.validate(path, errs.into_result());
}
