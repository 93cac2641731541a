//! Reading the submitted guided form back into an assessment, and putting messages back on their rows.

use crate::pages::form::{Errors, FormData, split_list};
use aims_catalog::templates::ImpactTemplate;
use aims_domain::impact::{AffectedParty, Impact, ImpactAssessment};
use std::collections::BTreeMap;

/// The free-text sections of an assessment, by form field name, in the order the form walks through them.
pub(super) const TEXT_FIELDS: &[&str] = &[
    "scope",
    "system_info",
    "data_info",
    "model_info",
    "deployment_context",
    "human_oversight",
];

/// The text of one free-text section of an assessment, by form field name.
pub(super) fn text_of(a: &ImpactAssessment, field: &str) -> String {
    match field {
        "scope" => a.scope.clone(),
        "system_info" => a.system_info.clone(),
        "data_info" => a.data_info.clone(),
        "model_info" => a.model_info.clone(),
        "deployment_context" => a.deployment_context.clone(),
        "human_oversight" => a.human_oversight.clone(),
        _ => String::new(),
    }
}

fn set_text(a: &mut ImpactAssessment, field: &str, v: String) {
    match field {
        "scope" => a.scope = v,
        "system_info" => a.system_info = v,
        "data_info" => a.data_info = v,
        "model_info" => a.model_info = v,
        "deployment_context" => a.deployment_context = v,
        "human_oversight" => a.human_oversight = v,
        _ => {}
    }
}

/// Row indexes of the form for the submitted rows (`affected`, `impacts`), to put messages back on their rows.
#[derive(Default, Clone)]
pub(super) struct RowIndex {
    /// Form row index of each submitted affected party.
    pub(super) affected: Vec<usize>,
    /// Form row index of each submitted impact.
    pub(super) impacts: Vec<usize>,
}

/// Puts messages about submitted rows back on the form rows they came from.
pub(super) fn remap(e: Errors, idx: &RowIndex) -> Errors {
    e.on_rows("affected", &idx.affected)
        .on_rows("impacts", &idx.impacts)
}

/// Reads the guided form into an assessment; blank rows are dropped. Scores that are not numbers become 0, which
/// the use case names as outside the scale.
pub(super) fn read_form(f: &FormData, t: &ImpactTemplate) -> (ImpactAssessment, RowIndex) {
    let mut idx = RowIndex::default();
    let mut a = ImpactAssessment {
        system_id: f.text("system_id"),
        system_version: f.text("system_version"),
        template: t.id.clone(),
        title: f.text("title"),
        status: "draft".into(),
        scope: String::new(),
        system_info: String::new(),
        data_info: String::new(),
        model_info: String::new(),
        deployment_context: String::new(),
        affected: vec![],
        impacts: vec![],
        human_oversight: String::new(),
        answers: BTreeMap::new(),
        triggers: f.all("triggers"),
        next_review: f.text("next_review"),
        approval: None,
    };
    for field in TEXT_FIELDS {
        set_text(&mut a, field, f.get(field).trim().to_string());
    }
    for i in f.rows("affected") {
        let p = AffectedParty {
            name: f.cell("affected", i, "name").trim().to_string(),
            kind: f.cell("affected", i, "kind"),
            vulnerable: !f.cell("affected", i, "vulnerable").is_empty(),
            note: f.cell("affected", i, "note").trim().to_string(),
        };
        if p.name.is_empty() && p.note.is_empty() {
            continue;
        }
        a.affected.push(p);
        idx.affected.push(i);
    }
    for i in f.rows("impacts") {
        let c = |k: &str| f.cell("impacts", i, k).trim().to_string();
        let m = Impact {
            area: c("area"),
            nature: c("nature"),
            description: c("description"),
            affected: split_list(&c("affected")),
            severity: c("severity").parse().unwrap_or(0),
            likelihood: c("likelihood").parse().unwrap_or(0),
            reversibility: c("reversibility"),
            measures: c("measures"),
            controls: split_list(&c("controls")),
            risk_id: c("risk_id"),
        };
        if m.description.is_empty()
            && m.measures.is_empty()
            && m.affected.is_empty()
            && m.controls.is_empty()
            && c("severity").is_empty()
            && c("likelihood").is_empty()
        {
            continue;
        }
        a.impacts.push(m);
        idx.impacts.push(i);
    }
    for q in &t.questions {
        let v = f.get(&format!("answers.{}", q.id)).trim().to_string();
        if !v.is_empty() {
            a.answers.insert(q.id.clone(), v);
        }
    }
    (a, idx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::impacts::edit::find_template;

    #[test]
    fn blank_rows_are_dropped_and_messages_return_to_their_rows() {
        let t = find_template("default").unwrap();
        let f = FormData(vec![
            ("system_id".into(), "x".into()),
            ("title".into(), "T".into()),
            ("affected[0].name".into(), "".into()),
            ("affected[0].kind".into(), "group".into()),
            ("affected[3].name".into(), "applicants".into()),
            ("affected[3].kind".into(), "group".into()),
            ("affected[3].vulnerable".into(), "on".into()),
            ("impacts[0].area".into(), "fairness".into()),
            ("impacts[0].severity".into(), "".into()),
            ("impacts[2].area".into(), "privacy".into()),
            ("impacts[2].description".into(), "leak".into()),
            ("impacts[2].severity".into(), "4".into()),
            ("impacts[2].likelihood".into(), "3".into()),
            ("impacts[2].controls".into(), "A.7.2, A.6.2.4".into()),
            ("answers.decision".into(), " go ".into()),
        ]);
        let (a, idx) = read_form(&f, &t);
        assert_eq!(a.affected.len(), 1);
        assert!(a.affected[0].vulnerable);
        assert_eq!(a.impacts.len(), 1);
        assert_eq!(a.impacts[0].controls, ["A.7.2", "A.6.2.4"]);
        assert_eq!(a.answers["decision"], "go");
        let e = remap(
            Errors(vec![("impacts[0].severity".into(), "bad".into())]),
            &idx,
        );
        assert_eq!(e.of("impacts[2]"), "bad");
    }
}
