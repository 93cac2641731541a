//! The generic use cases, tried on a real record type (context issues) and on both databases: roles, paging by
//! cursor in every declared order, filters and search in SQL, refusals that name the field, the check hook.

use super::{ListParams, Record, RecordVisitor, each_record};
use crate::{Actor, AppError, Stored};
use aims_domain::context::{ContextIssue, InterestedParty, PartyRequirement};
use aims_domain::inventory::CustomFieldDef;
use aims_domain::vocab::MemberRole;

fn issue(title: &str, kind: &str, climate: bool) -> ContextIssue {
    ContextIssue {
        kind: kind.into(),
        title: title.into(),
        description: format!("about {title}"),
        category: if climate { "environment" } else { "legal" }.into(),
        climate_related: climate,
    }
}

/// An optional text custom field, "tier".
fn tier_field() -> CustomFieldDef {
    CustomFieldDef {
        key: "tier".into(),
        label: "Tier".into(),
        kind: "text".into(),
        choices: vec![],
        required: false,
        description: String::new(),
    }
}

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.errors.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// Reads every page of a list, returning the titles in order and the number of pages.
async fn all_pages(t: &crate::test_support::TestOrg, mut p: ListParams) -> (Vec<String>, usize) {
    let mut titles = vec![];
    let mut pages = 0;
    loop {
        let page = t
            .app
            .list_page::<ContextIssue>(&t.operator, &t.org, &p)
            .await
            .unwrap();
        pages += 1;
        titles.extend(page.items.iter().map(|s| s.data.title.clone()));
        match page.next_cursor {
            Some(c) => p.cursor = Some(c),
            None => return (titles, pages),
        }
    }
}

/// Reads every page of a list sorted by `sort`, two records a page: the titles in order.
async fn sorted_in_pages_of_two(t: &crate::test_support::TestOrg, sort: &str) -> Vec<String> {
    let p = ListParams {
        limit: Some(2),
        sort: Some(sort.into()),
        ..ListParams::default()
    };
    all_pages(t, p).await.0
}

#[tokio::test]
async fn lists_page_by_cursor_in_every_declared_order_with_filters_in_sql() {
    crate::test_support::on_each_backend(async |t| {
        let titles = [
            "delta", "alpha", "echo", "charlie", "bravo", "foxtrot", "golf",
        ];
        for (i, title) in titles.iter().enumerate() {
            let kind = if i % 2 == 0 { "internal" } else { "external" };
            t.app
                .create_record(&t.operator, &t.org, issue(title, kind, i % 3 == 0))
                .await
                .unwrap();
        }
        // Creation order, three per page: every record once, in the order written.
        let (seen, pages) = all_pages(
            t,
            ListParams {
                limit: Some(3),
                ..ListParams::default()
            },
        )
        .await;
        assert_eq!(seen, titles, "{:?}", t.backend);
        assert_eq!(pages, 3);
        // By title, both ways, across pages.
        let mut sorted: Vec<String> = titles.iter().map(|s| s.to_string()).collect();
        sorted.sort();
        assert_eq!(sorted_in_pages_of_two(t, "title").await, sorted);
        sorted.reverse();
        assert_eq!(sorted_in_pages_of_two(t, "-title").await, sorted);
        // Filters and search.
        let (seen, _) = all_pages(
            t,
            ListParams {
                filters: vec![
                    ("kind".into(), "internal".into()),
                    ("climate_related".into(), "true".into()),
                ],
                ..ListParams::default()
            },
        )
        .await;
        assert_eq!(seen, vec!["delta", "golf"]);
        let (seen, _) = all_pages(
            t,
            ListParams {
                q: Some("ABOUT CHAR".into()),
                ..ListParams::default()
            },
        )
        .await;
        assert_eq!(seen, vec!["charlie"]);
    })
    .await;
}

#[tokio::test]
async fn bad_list_requests_name_what_is_wrong() {
    crate::test_support::on_each_backend(async |t| {
        let list = async |p: ListParams| {
            t.app
                .list_page::<ContextIssue>(&t.operator, &t.org, &p)
                .await
                .unwrap_err()
        };
        let e = list(ListParams {
            filters: vec![("colour".into(), "red".into())],
            ..ListParams::default()
        })
        .await;
        assert_eq!(fields(&e), vec!["colour"]);
        let e = list(ListParams {
            filters: vec![
                ("kind".into(), "sideways".into()),
                ("climate_related".into(), "maybe".into()),
            ],
            sort: Some("owner".into()),
            limit: Some(0),
            ..ListParams::default()
        })
        .await;
        assert_eq!(
            fields(&e),
            vec!["kind", "climate_related", "sort", "limit"],
            "{e}"
        );
        // A cursor of one order is refused in another, and garbage is refused.
        t.app
            .create_record(&t.operator, &t.org, issue("a", "internal", false))
            .await
            .unwrap();
        t.app
            .create_record(&t.operator, &t.org, issue("b", "internal", false))
            .await
            .unwrap();
        let page = t
            .app
            .list_page::<ContextIssue>(
                &t.operator,
                &t.org,
                &ListParams {
                    limit: Some(1),
                    ..ListParams::default()
                },
            )
            .await
            .unwrap();
        let cursor = page.next_cursor.unwrap();
        for (sort, cursor) in [
            (Some("title"), cursor.as_str()),
            (None, "zz"),
            (None, "5b5d"),
        ] {
            let e = list(ListParams {
                sort: sort.map(String::from),
                cursor: Some(cursor.into()),
                ..ListParams::default()
            })
            .await;
            assert_eq!(fields(&e), vec!["cursor"]);
        }
    })
    .await;
}

#[tokio::test]
async fn roles_of_the_declaration_are_checked_on_every_use_case() {
    crate::test_support::on_each_backend(async |t| {
        let s: Stored<ContextIssue> = t
            .app
            .create_record(&t.operator, &t.org, issue("x", "internal", false))
            .await
            .unwrap();
        let viewer = Actor::member("v@test.example", MemberRole::Viewer);
        let contributor = Actor::member("c@test.example", MemberRole::Contributor);
        let forbidden = |r: Result<(), AppError>| matches!(r, Err(AppError::Forbidden(_)));
        let app = &t.app;
        assert!(forbidden(
            app.create_record(&viewer, &t.org, issue("y", "internal", false))
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            app.update_record(&viewer, &t.org, &s.id, None, s.data.clone())
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            app.delete_record::<ContextIssue>(&viewer, &t.org, &s.id, None)
                .await
        ));
        // Reading is open to the viewer; custom fields are written by admins only.
        app.get_record::<ContextIssue>(&viewer, &t.org, &s.id)
            .await
            .unwrap();
        app.record_history::<ContextIssue>(&viewer, &t.org, &s.id)
            .await
            .unwrap();
        let field = tier_field();
        assert!(forbidden(
            app.create_record(&contributor, &t.org, field.clone())
                .await
                .map(|_| ())
        ));
        // The store is as it was: one issue, no field.
        assert_eq!(
            app.list_records::<ContextIssue>(&t.operator, &t.org)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            app.list_records::<CustomFieldDef>(&t.operator, &t.org)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn check_hooks_run_inside_the_write_and_name_the_field() {
    crate::test_support::on_each_backend(async |t| {
        let app = &t.app;
        let field = tier_field();
        let first = app
            .create_record(&t.operator, &t.org, field.clone())
            .await
            .unwrap();
        let e = app
            .create_record(&t.operator, &t.org, field.clone())
            .await
            .unwrap_err();
        assert_eq!(fields(&e), vec!["key"]);
        // Replacing the field itself keeps its own key.
        let mut relabelled = field.clone();
        relabelled.label = "Risk tier".into();
        app.update_record(&t.operator, &t.org, &first.id, Some(1), relabelled)
            .await
            .unwrap();
        // A party's requirement may name only controls that exist.
        let party = InterestedParty {
            name: "Regulator".into(),
            category: String::new(),
            description: String::new(),
            requirements: vec![PartyRequirement {
                id: String::new(),
                text: "Explain decisions".into(),
                source: "legal".into(),
                addressed: true,
                how: String::new(),
                controls: vec!["A.8.2".into(), "A.99.9".into()],
            }],
        };
        let e = app
            .create_record(&t.operator, &t.org, party)
            .await
            .unwrap_err();
        assert_eq!(fields(&e), vec!["requirements[0].controls[1]"]);
        // A stale version is a conflict and changes nothing.
        let e = app
            .update_record(&t.operator, &t.org, &first.id, Some(1), field)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    })
    .await;
}

#[test]
fn every_registered_record_type_declares_fields_that_its_table_has() {
    /// Problems found, names seen, and whether the types visited keep their own pages.
    struct Check(Vec<String>, Vec<String>, bool);
    impl RecordVisitor for Check {
        fn visit<T: Record>(&mut self) {
            let def = T::DEF;
            for name in [
                format!("noun {}", def.noun),
                format!("path {}", def.path),
                format!("record type {}", def.spec.record_type),
            ] {
                if self.1.contains(&name) {
                    self.0.push(format!("{name} is declared twice"));
                }
                self.1.push(name);
            }
            let columns: Vec<&str> = def.spec.columns.iter().map(|c| c.name).collect();
            for f in def.fields {
                if !columns.contains(&f.name) {
                    self.0
                        .push(format!("{}: field {} has no column", def.noun, f.name));
                }
            }
            for name in def.filters.iter().chain(def.sorts).chain(def.search) {
                if def.field(name).is_none() {
                    self.0
                        .push(format!("{}: {name} is not a declared field", def.noun));
                }
            }
            // A type with its own pages declares no form fields, but its title is still a column.
            let titled = if self.2 {
                def.spec.columns.iter().any(|c| c.name == def.title)
            } else {
                def.field(def.title).is_some()
            };
            if !titled {
                self.0.push(format!("{}: title field missing", def.noun));
            }
        }
    }
    let mut c = Check(vec![], vec![], false);
    each_record(&mut c);
    c.2 = true;
    super::each_record_with_own_faces(&mut c);
    assert!(c.0.is_empty(), "{:?}", c.0);
}

#[tokio::test]
async fn records_with_their_own_faces_keep_their_rules_through_the_kit() {
    use aims_domain::inventory::AiSystem;
    use aims_domain::risk::{Risk, Treatment};
    crate::test_support::on_each_backend(async |t| {
        let app = &t.app;
        let head = async || app.chain_head(&t.operator, &t.org).await.unwrap();
        let system = app
            .create_record(&t.operator, &t.org, AiSystem::new("Scorer", "Scores."))
            .await
            .unwrap();
        // A modification is refused at a stale version before the change runs, and nothing is written.
        let before = head().await;
        let e = app
            .modify_record(
                &t.operator,
                &t.org,
                &system.id,
                Some(7),
                |s: &mut AiSystem| {
                    s.owner = "nobody".into();
                    Ok(())
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        assert_eq!(head().await, before, "nothing written");
        // A modification runs the record's checks: an unknown lifecycle stage is named.
        let e = app
            .modify_record(&t.operator, &t.org, &system.id, None, |s: &mut AiSystem| {
                s.lifecycle_stage = "dreaming".into();
                Ok(())
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), vec!["lifecycle_stage"]);
        // Records kept for the audit trail are not deleted.
        let e = app
            .delete_record::<AiSystem>(&t.operator, &t.org, &system.id, None)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        assert_eq!(head().await, before, "nothing written");
        // The written hook: the first plan of an open risk moves it to treating, in the same write.
        let risk: Risk = serde_json::from_value(serde_json::json!({
            "title": "Scores drift", "system_ids": [system.id.as_str()], "status": "open"
        }))
        .unwrap();
        let risk = app.create_record(&t.operator, &t.org, risk).await.unwrap();
        let plan: Treatment = serde_json::from_value(serde_json::json!({
            "risk_id": risk.id.as_str(), "option": "modify", "controls": ["A.6.2.6"]
        }))
        .unwrap();
        app.create_record(&t.operator, &t.org, plan).await.unwrap();
        let risk = app
            .get_record::<Risk>(&t.operator, &t.org, &risk.id)
            .await
            .unwrap();
        assert_eq!(risk.data.status, "treating");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_names_the_fields_an_update_changed_with_old_and_new_values() {
    crate::test_support::on_each_backend(async |t| {
        let (app, org, op) = (&t.app, &t.org, &t.operator);
        let issue: ContextIssue = serde_json::from_value(serde_json::json!({
            "title": "Energy prices", "kind": "external", "category": "economic"
        }))
        .unwrap();
        let s = app.create_record(op, org, issue).await.unwrap();
        let mut changed = s.data.clone();
        changed.title = "Energy and chip prices".into();
        app.update_record(op, org, &s.id, Some(s.version), changed)
            .await
            .unwrap();
        let h = app
            .record_history::<ContextIssue>(op, org, &s.id)
            .await
            .unwrap();
        assert!(h[0].changes.is_empty(), "a create lists no changes");
        assert_eq!(h[1].changes.len(), 1, "{:?}", h[1].changes);
        let c = &h[1].changes[0];
        assert_eq!(
            (c.field.as_str(), c.before.as_str(), c.after.as_str()),
            ("title", "Energy prices", "Energy and chip prices")
        );
        assert_eq!(
            h[1].changes_text(),
            "title: \"Energy prices\" → \"Energy and chip prices\""
        );
    })
    .await;
}
