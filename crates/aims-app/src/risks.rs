//! AI risk management use cases (6.1.1–6.1.3, 8.2, 8.3): the versioned risk method, the risk register with
//! append-only assessments, and treatment plans with residual-risk acceptance.

use crate::OrgId;
use crate::kit::{Step, StepDef};
use crate::records::{self, OrgWrite, Paging, Stored};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::risk::{Acceptance, Risk, RiskAssessment, RiskMethod, Score, Treatment};
use aims_domain::vocab::RiskStatus;
use aims_store::spec::{AI_SYSTEMS, CONTROL_IMPLEMENTATIONS, RISK_METHODS, RISKS, TREATMENTS};
use aims_store::value::Value;
use aims_store::{Conn, ListQuery, OrderKey};

/// A dated re-assessment of a risk, scored by the method in force; earlier assessments stay as they were.
pub struct AssessRisk;

impl Step for AssessRisk {
    type Record = Risk;
    type Input = RiskAssessment;
    const DEF: &'static StepDef = &StepDef {
        segment: "assessments",
        operation: "assess_risk",
        about: "Re-assess a risk: a dated assessment scored by the method in force is added; earlier ones stay \
                as they were.",
        permission: Permission::Write,
        done: "The risk with the new assessment last",
        invalid: "Scores outside the scales, a bad date or one before the latest assessment, an unknown \
                  dimension, or the id is not a UUID",
        conflict: "",
    };
    async fn apply(
        w: &mut OrgWrite,
        _actor: &Actor,
        current: &mut Stored<Risk>,
        mut assessment: RiskAssessment,
    ) -> Result<(), AppError> {
        let method = current_method(w).await?;
        let mut errs = ValidationError::default();
        assessment.score_with(&method, "assessment", &mut errs);
        if let Some(last) = current.data.latest()
            && assessment.date < last.date
        {
            errs.push(
                "assessment.date",
                format!(
                    "{} is before the latest assessment ({}); assessments are kept in date order",
                    assessment.date, last.date
                ),
            );
        }
        errs.into_result()?;
        current.data.assessments.push(assessment);
        Ok(())
    }
}

/// The acceptance of a plan's residual risk by a named person with their role, date and rationale (managers
/// and admins); the risk becomes accepted.
pub struct AcceptResidualRisk;

impl Step for AcceptResidualRisk {
    type Record = Treatment;
    type Input = Acceptance;
    const DEF: &'static StepDef = &StepDef {
        segment: "acceptance",
        operation: "accept_treatment",
        about: "Accept the residual risk (managers and admins): a named person with their role, the date and \
                the rationale. The risk becomes `accepted`.",
        permission: Permission::Approve,
        done: "The plan with its acceptance",
        invalid: "No name, role, rationale or a bad date; `details` names every field",
        conflict: "",
    };
    async fn apply(
        w: &mut OrgWrite,
        actor: &Actor,
        current: &mut Stored<Treatment>,
        mut acceptance: Acceptance,
    ) -> Result<(), AppError> {
        let mut errs = ValidationError::default();
        acceptance.validate("acceptance", &mut errs);
        errs.into_result()?;
        acceptance.recorded_by = actor.label.clone();
        current.data.acceptance = Some(acceptance);
        let risk: Stored<Risk> = w.get(&RISKS, &current.data.risk_id).await?;
        if risk.data.status != RiskStatus::Accepted.as_str() {
            move_risk(w, risk, RiskStatus::Accepted).await?;
        }
        Ok(())
    }
}

/// Filters for the risk register.
#[derive(Debug, Clone, Default)]
pub struct RiskFilter {
    /// Only risks of this AI system.
    pub system_id: Option<String>,
    /// Only risks with this status.
    pub status: Option<String>,
    /// Case-insensitive text in title, description or owner.
    pub search: Option<String>,
}

/// A cell of the register's heat maps: the latest inherent (or residual) score of a risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskCell {
    /// The residual map rather than the inherent one.
    pub residual: bool,
    /// Likelihood and impact of the cell.
    pub score: Score,
}

/// The orders of the register, as its column headings offer them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RiskSort {
    /// Title, without letter case.
    Title,
    /// Owner, without letter case.
    Owner,
    /// Status.
    Status,
    /// Level of the latest inherent score, in the current method's order of levels.
    Inherent,
    /// Level of the latest residual score, then of the inherent one.
    #[default]
    Residual,
    /// Next review date.
    Review,
}

impl RiskSort {
    /// Every order with its name in page addresses.
    pub const ALL: [(RiskSort, &'static str); 6] = [
        (RiskSort::Title, "title"),
        (RiskSort::Owner, "owner"),
        (RiskSort::Status, "status"),
        (RiskSort::Inherent, "inherent"),
        (RiskSort::Residual, "residual"),
        (RiskSort::Review, "review"),
    ];

    /// The order named `name`; an unknown name sorts by title, as the register always has.
    pub fn parse(name: &str) -> RiskSort {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map_or(RiskSort::Title, |(s, _)| *s)
    }

    /// Its name in page addresses.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("title", |(_, n)| n)
    }

    fn order_key(self, method: &RiskMethod) -> OrderKey {
        let ranking = || method.levels.iter().map(|l| l.id.clone()).collect();
        match self {
            RiskSort::Title => OrderKey::Folded("title"),
            RiskSort::Owner => OrderKey::Folded("owner"),
            RiskSort::Status => OrderKey::Folded("status"),
            RiskSort::Review => OrderKey::Folded("review_date"),
            RiskSort::Inherent => OrderKey::Ranked {
                columns: vec!["inherent_level"],
                ranking: ranking(),
            },
            RiskSort::Residual => OrderKey::Ranked {
                columns: vec!["residual_level", "inherent_level"],
                ranking: ranking(),
            },
        }
    }
}

/// What the register page asks for: the filters, a heat-map cell, the order and the page.
#[derive(Debug, Clone, Default)]
pub struct RegisterQuery {
    /// System, status and text filters.
    pub filter: RiskFilter,
    /// Only risks in this heat-map cell.
    pub cell: Option<RiskCell>,
    /// Order.
    pub sort: RiskSort,
    /// Descending order.
    pub descending: bool,
    /// Id of the last risk of the previous page.
    pub after: Option<String>,
    /// Page size (1 to 200).
    pub limit: i64,
}

/// One page of the register.
#[derive(Debug, Clone)]
pub struct RegisterPage {
    /// The risks of the page, in order.
    pub risks: Vec<Stored<Risk>>,
    /// Cursor of the next page (the id of the last risk of this one), when there is one.
    pub next: Option<String>,
}

/// Counts of the register by the latest assessment of each risk, from one aggregate query: what the heat maps
/// and the dashboard show, without reading the risks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskCounts {
    /// Risks counted.
    pub total: i64,
    /// Risks without any assessment.
    pub unassessed: i64,
    /// Risks per latest inherent score.
    pub inherent: Vec<(Score, i64)>,
    /// Risks per latest residual score.
    pub residual: Vec<(Score, i64)>,
    /// Risks per status and latest residual score (`None` when unassessed).
    pub by_status: Vec<((String, Option<Score>), i64)>,
}

impl RiskCounts {
    /// Risks open or in treatment.
    pub fn live(&self) -> i64 {
        self.by_status
            .iter()
            .filter(|((s, _), _)| matches!(s.as_str(), "open" | "treating"))
            .map(|(_, n)| n)
            .sum()
    }

    /// Risks not closed or accepted whose latest residual score lies above the appetite of `method`.
    pub fn above_appetite(&self, method: &RiskMethod) -> i64 {
        self.by_status
            .iter()
            .filter(|((s, _), _)| !matches!(s.as_str(), "closed" | "accepted"))
            .filter(|((_, score), _)| score.as_ref().is_some_and(|r| method.exceeds_appetite(r)))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Adds `n` to the count of `key` in a small list of counts.
pub(crate) fn bump<K: PartialEq>(counts: &mut Vec<(K, i64)>, key: K, n: i64) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, c)) => *c += n,
        None => counts.push((key, n)),
    }
}

fn score_of(l: &Value, i: &Value) -> Option<Score> {
    Some(Score {
        likelihood: l.as_int()?,
        impact: i.as_int()?,
    })
}

/// The store query of the register's filters (not its cell, order or page).
fn filter_query(f: &RiskFilter) -> Result<ListQuery, AppError> {
    let mut q = ListQuery::default();
    if let Some(status) = &f.status {
        q.filters.push((
            "status",
            Value::Text(RiskStatus::parse("status", status)?.as_str().into()),
        ));
    }
    if let Some(text) = f.search.as_ref().filter(|t| !t.trim().is_empty()) {
        q.search = Some((
            vec!["title", "description", "owner"],
            text.trim().to_string(),
        ));
    }
    if let Some(sys) = &f.system_id {
        q.contains
            .push(("system_ids", aims_domain::parse_id("system", sys)?));
    }
    Ok(q)
}

/// Moves a risk to `status` inside `tx`, against the version read, logging the change.
pub(crate) async fn move_risk(
    w: &mut OrgWrite,
    risk: Stored<Risk>,
    status: RiskStatus,
) -> Result<(), AppError> {
    let mut r = risk.data;
    r.status = status.as_str().into();
    w.update(&RISKS, &risk.id, Some(risk.version), &r).await?;
    Ok(())
}

/// Reads one page of `q` in its order after the record `after` (an id), at most `limit` (1 to 200) records, and
/// the cursor of the next page: the id of the page's last record when more follow.
pub(crate) async fn page_of<T: serde::de::DeserializeOwned>(
    app: &App,
    spec: &'static aims_store::spec::TableSpec,
    org: &OrgId,
    mut q: ListQuery,
    after: &Option<String>,
    limit: i64,
) -> Result<(Vec<Stored<T>>, Option<String>), AppError> {
    if !(1..=200).contains(&limit) {
        return Err(ValidationError::one("limit", "must be between 1 and 200").into());
    }
    if let Some(a) = after {
        q.after_id = Some(aims_domain::parse_id("after", a)?);
    }
    // One more than the page tells whether another page follows.
    q.limit = Some(limit + 1);
    let mut rows: Vec<Stored<T>> = app.read_list(spec, org, &q).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next = more
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    Ok((rows, next))
}

/// Counts the risks matching `q` by status and latest scores, in one aggregate query inside `tx`.
pub(crate) async fn count_risks(
    tx: &mut Conn,
    org: &OrgId,
    q: &ListQuery,
) -> Result<RiskCounts, AppError> {
    let groups = tx
        .tally(
            &RISKS,
            org,
            q,
            &[
                "status",
                "inherent_likelihood",
                "inherent_impact",
                "residual_likelihood",
                "residual_impact",
            ],
            &[],
        )
        .await?;
    let mut c = RiskCounts::default();
    for g in groups {
        let [status, il, ii, rl, ri] = g.key.as_slice() else {
            continue;
        };
        let residual = score_of(rl, ri);
        c.total += g.count;
        match (score_of(il, ii), residual) {
            (Some(inherent), Some(residual)) => {
                bump(&mut c.inherent, inherent, g.count);
                bump(&mut c.residual, residual, g.count);
            }
            _ => c.unassessed += g.count,
        }
        bump(
            &mut c.by_status,
            (status.as_text().to_string(), residual),
            g.count,
        );
    }
    Ok(c)
}

/// Parses the shipped default risk method.
pub fn default_method() -> Result<RiskMethod, AppError> {
    let mut m: RiskMethod = aims_catalog::templates::default_risk_method()
        .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))?;
    m.number = 1;
    Ok(m)
}

/// The identifiers of a catalogue item kind (Annex C risk sources, objectives, Annex A controls).
pub(crate) fn catalog_refs(kind: &str) -> Result<Vec<String>, AppError> {
    Ok(crate::catalogue::builtin()?.refs(kind))
}

/// Annex A control ids and every control id the organization can choose (Annex A plus its own).
pub(crate) async fn known_controls(
    tx: &mut Conn,
    org: &OrgId,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let annex_a = catalog_refs("control")?;
    let mut all = annex_a.clone();
    for row in tx
        .project(&CONTROL_IMPLEMENTATIONS, org, &["control"])
        .await?
    {
        let c = row[0].as_text().to_string();
        if !all.contains(&c) {
            all.push(c);
        }
    }
    Ok((annex_a, all))
}

/// The organization's current risk method inside the write, saving the default as version 1 when it has none
/// yet.
pub(crate) async fn current_method(w: &mut OrgWrite) -> Result<RiskMethod, AppError> {
    let org = w.org().clone();
    if let Some(m) = latest_method(w, &org).await? {
        return Ok(m.data);
    }
    let m = default_method()?;
    w.insert(&RISK_METHODS, &m).await?;
    Ok(m)
}

async fn latest_method(tx: &mut Conn, org: &OrgId) -> Result<Option<Stored<RiskMethod>>, AppError> {
    let q = ListQuery {
        order_by: Some("number"),
        descending: true,
        limit: Some(1),
        ..ListQuery::default()
    };
    match tx.list(&RISK_METHODS, org, &q).await?.first() {
        Some(row) => Ok(Some(records::from_row(row)?)),
        None => Ok(None),
    }
}

/// Validates a risk's register fields against the catalogue and the organization's systems.
pub(crate) async fn prepare_risk(w: &mut OrgWrite, risk: &mut Risk) -> Result<(), AppError> {
    let sources = catalog_refs("risk_source")?;
    let objectives = catalog_refs("annex_c_objective")?;
    risk.normalise_and_validate(&sources, &objectives)?;
    let links = (risk.system_ids.iter().enumerate())
        .map(|(i, id)| (format!("system_ids[{i}]"), id.clone()))
        .collect();
    w.check_links(&AI_SYSTEMS, "AI system", links).await
}

impl App {
    /// The organization's current risk method (the shipped default, not yet saved, when it has none).
    pub async fn risk_method(&self, actor: &Actor, org: &OrgId) -> Result<RiskMethod, AppError> {
        actor.require(Permission::Read)?;
        let mut tx = self.store.begin_read().await?;
        let m = latest_method(&mut tx, org).await?;
        tx.commit().await?;
        match m {
            Some(m) => Ok(m.data),
            None => default_method(),
        }
    }

    /// Every saved version of the risk method, newest first.
    pub async fn risk_methods(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Vec<Stored<RiskMethod>>, AppError> {
        actor.require(Permission::Read)?;
        let q = ListQuery {
            order_by: Some("number"),
            descending: true,
            ..ListQuery::default()
        };
        self.read_list(&RISK_METHODS, org, &q).await
    }

    /// Saves a new version of the risk method. Changing how risks are scored is a management decision, so it
    /// needs the approve permission; earlier assessments keep the version that scored them.
    pub async fn save_risk_method(
        &self,
        actor: &Actor,
        org: &OrgId,
        mut method: RiskMethod,
    ) -> Result<Stored<RiskMethod>, AppError> {
        method.validate()?;
        let mut w = self.write_in(actor, Permission::Approve, org).await?;
        // Make sure version 1 (the default) is on record before the first change.
        current_method(&mut w).await?;
        let last = latest_method(&mut w, org)
            .await?
            .map_or(0, |m| m.data.number);
        method.number = last + 1;
        let s = w.insert(&RISK_METHODS, &method).await?;
        w.done(s).await
    }

    /// Lists the risk register in creation order.
    pub async fn risks(
        &self,
        actor: &Actor,
        org: &OrgId,
        f: &RiskFilter,
    ) -> Result<Vec<Stored<Risk>>, AppError> {
        self.risks_page(actor, org, f, &Paging::default()).await
    }

    /// One page of the risk register in creation order; the filters run in the database, so a page costs
    /// the same however large the register is.
    pub async fn risks_page(
        &self,
        actor: &Actor,
        org: &OrgId,
        f: &RiskFilter,
        page: &Paging,
    ) -> Result<Vec<Stored<Risk>>, AppError> {
        actor.require(Permission::Read)?;
        let mut q = filter_query(f)?;
        page.apply(&mut q)?;
        self.read_list(&RISKS, org, &q).await
    }

    /// One page of the register as the register page shows it: filtered, optionally to one heat-map cell,
    /// sorted by a column (levels in the order of `method`) and paged by a cursor, all in the database.
    pub async fn risk_register(
        &self,
        actor: &Actor,
        org: &OrgId,
        method: &RiskMethod,
        rq: &RegisterQuery,
    ) -> Result<RegisterPage, AppError> {
        actor.require(Permission::Read)?;
        let mut q = filter_query(&rq.filter)?;
        if let Some(cell) = &rq.cell {
            let (l, i) = if cell.residual {
                ("residual_likelihood", "residual_impact")
            } else {
                ("inherent_likelihood", "inherent_impact")
            };
            q.filters.push((l, Value::Int(cell.score.likelihood)));
            q.filters.push((i, Value::Int(cell.score.impact)));
        }
        q.order_key = Some(rq.sort.order_key(method));
        q.descending = rq.descending;
        // Ties keep the register's creation order whichever way it is sorted.
        q.ties_descending = Some(false);
        let (risks, next) = page_of(self, &RISKS, org, q, &rq.after, rq.limit).await?;
        Ok(RegisterPage { risks, next })
    }

    /// Counts of the filtered register by status and latest scores (its heat maps), from one aggregate query.
    pub async fn risk_counts(
        &self,
        actor: &Actor,
        org: &OrgId,
        f: &RiskFilter,
    ) -> Result<RiskCounts, AppError> {
        actor.require(Permission::Read)?;
        let q = filter_query(f)?;
        let mut tx = self.store.begin_read().await?;
        let c = count_risks(&mut tx, org, &q).await;
        tx.commit().await?;
        c
    }

    /// Every treatment plan in creation order, optionally of one risk (the API pages the same list through
    /// the kit).
    pub async fn treatments(
        &self,
        actor: &Actor,
        org: &OrgId,
        risk_id: Option<&str>,
    ) -> Result<Vec<Stored<Treatment>>, AppError> {
        let link = risk_id.map(|r| ("risk_id", "risk", r));
        self.page_linked_to(actor, &TREATMENTS, org, link, &Paging::default())
            .await
    }

    /// One page of `spec`'s records in creation order; with `link` = (column, what, id), only those whose
    /// `column` holds that id (a bad id is refused, naming `what`).
    pub(crate) async fn page_linked_to<T: serde::de::DeserializeOwned>(
        &self,
        actor: &Actor,
        spec: &'static aims_store::spec::TableSpec,
        org: &OrgId,
        link: Option<(&'static str, &str, &str)>,
        page: &Paging,
    ) -> Result<Vec<Stored<T>>, AppError> {
        actor.require(Permission::Read)?;
        let mut q = ListQuery::default();
        if let Some((column, what, id)) = link {
            q.filters
                .push((column, Value::Text(aims_domain::parse_id(what, id)?)));
        }
        page.apply(&mut q)?;
        self.read_list(spec, org, &q).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::on_each_backend;
    use aims_domain::inventory::AiSystem;

    fn assessed(title: &str, owner: &str, inherent: (i64, i64), residual: (i64, i64)) -> Risk {
        let score = |(likelihood, impact)| Score { likelihood, impact };
        Risk {
            title: title.into(),
            description: String::new(),
            system_ids: vec![],
            sources: vec![],
            objectives: vec![],
            owner: owner.into(),
            review_date: String::new(),
            status: "open".into(),
            raised_from: vec![],
            assessments: vec![RiskAssessment {
                date: "2026-11-01".into(),
                assessor: String::new(),
                method_version: 0,
                inherent: score(inherent),
                current: score(inherent),
                residual: score(residual),
                levels: Default::default(),
                dimensions: vec![],
                note: String::new(),
            }],
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_register_pages_sorts_and_counts_in_the_database() {
        on_each_backend(async |t| {
            let (app, org, op) = (&t.app, &t.org, &t.operator);
            let sys = app
                .create_record(op, org, AiSystem::new("Chatbot", "Answers customers."))
                .await
                .unwrap();
            // Residual levels: critical, high, low, medium (default method).
            for (title, owner, inherent, residual) in [
                ("delta", "Bo", (5, 5), (5, 4)),
                ("Alpha", "ann", (5, 5), (3, 4)),
                ("charlie", "Cy", (2, 2), (1, 1)),
                ("Bravo", "dee", (4, 4), (3, 2)),
            ] {
                let mut r = assessed(title, owner, inherent, residual);
                r.system_ids = vec![sys.id.to_string()];
                app.create_record(op, org, r).await.unwrap();
            }
            let mut unassessed = assessed("echo", "Ed", (1, 1), (1, 1));
            unassessed.assessments.clear();
            unassessed.status = "closed".into();
            app.create_record(op, org, unassessed).await.unwrap();
            let method = app.risk_method(op, org).await.unwrap();

            // Residual level, highest first, two to a page; the cursor is the last id of a page.
            let mut rq = RegisterQuery {
                sort: RiskSort::Residual,
                descending: true,
                limit: 2,
                ..RegisterQuery::default()
            };
            let mut titles = Vec::new();
            loop {
                let page = app.risk_register(op, org, &method, &rq).await.unwrap();
                titles.extend(page.risks.iter().map(|r| r.data.title.clone()));
                match page.next {
                    Some(next) => rq.after = Some(next),
                    None => break,
                }
            }
            assert_eq!(titles, ["delta", "Alpha", "Bravo", "charlie", "echo"]);

            // Titles and owners sort without letter case.
            let titles_by = |sort, descending| RegisterQuery {
                sort,
                descending,
                limit: 10,
                ..RegisterQuery::default()
            };
            let page = app
                .risk_register(op, org, &method, &titles_by(RiskSort::Title, false))
                .await
                .unwrap();
            let got: Vec<&str> = page.risks.iter().map(|r| r.data.title.as_str()).collect();
            assert_eq!(got, ["Alpha", "Bravo", "charlie", "delta", "echo"]);
            assert!(page.next.is_none());
            let page = app
                .risk_register(op, org, &method, &titles_by(RiskSort::Owner, true))
                .await
                .unwrap();
            let got: Vec<&str> = page.risks.iter().map(|r| r.data.owner.as_str()).collect();
            assert_eq!(got, ["Ed", "dee", "Cy", "Bo", "ann"]);

            // A heat-map cell and the filters narrow the page.
            let cell = RegisterQuery {
                cell: Some(RiskCell {
                    residual: false,
                    score: Score {
                        likelihood: 5,
                        impact: 5,
                    },
                }),
                filter: RiskFilter {
                    system_id: Some(sys.id.to_string()),
                    ..RiskFilter::default()
                },
                ..titles_by(RiskSort::Title, false)
            };
            let page = app.risk_register(op, org, &method, &cell).await.unwrap();
            let got: Vec<&str> = page.risks.iter().map(|r| r.data.title.as_str()).collect();
            assert_eq!(got, ["Alpha", "delta"]);

            // The counts behind the heat maps and the dashboard.
            let c = app
                .risk_counts(op, org, &RiskFilter::default())
                .await
                .unwrap();
            assert_eq!((c.total, c.unassessed, c.live()), (5, 1, 4));
            let five = Score {
                likelihood: 5,
                impact: 5,
            };
            assert!(c.inherent.contains(&(five, 2)));
            assert_eq!(c.residual.iter().map(|(_, n)| n).sum::<i64>(), 4);
            // Above the appetite (medium): delta (critical), Alpha (high); Bravo is medium.
            assert_eq!(c.above_appetite(&method), 2);
            let open = app
                .risk_counts(
                    op,
                    org,
                    &RiskFilter {
                        search: Some("ALPHA".into()),
                        ..RiskFilter::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!((open.total, open.unassessed), (1, 0));

            // Bad input is refused, naming the field.
            let bad = RegisterQuery {
                after: Some("not-an-id".into()),
                ..titles_by(RiskSort::Title, false)
            };
            let err = app.risk_register(op, org, &method, &bad).await.unwrap_err();
            assert!(format!("{err:?}").contains("after"), "{err:?}");
            let err = app
                .risk_register(
                    op,
                    org,
                    &method,
                    &RegisterQuery {
                        limit: 0,
                        ..RegisterQuery::default()
                    },
                )
                .await
                .unwrap_err();
            assert!(format!("{err:?}").contains("limit"), "{err:?}");
        })
        .await;
    }
}
