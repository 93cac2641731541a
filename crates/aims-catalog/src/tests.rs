//! Pins the exact identifier lists of the built-in packs, so content that loses or invents an identifier, or
//! changes a title of the standard, fails the build.

use super::*;

fn catalog() -> Catalog {
    match Catalog::builtin() {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

fn refs_of(fw: &Framework, kind: &str) -> Vec<String> {
    fw.items
        .iter()
        .filter(|i| i.kind == kind)
        .map(|i| i.reference.clone())
        .collect()
}

/// The 38 Annex A controls with their short titles, exactly as the reference notes list them.
const ANNEX_A: &str = "\
A.2.2|AI policy
A.2.3|Alignment with other organizational policies
A.2.4|Review of the AI policy
A.3.2|AI roles and responsibilities
A.3.3|Reporting of concerns
A.4.2|Resource documentation
A.4.3|Data resources
A.4.4|Tooling resources
A.4.5|System and computing resources
A.4.6|Human resources
A.5.2|AI system impact assessment process
A.5.3|Documentation of AI system impact assessments
A.5.4|Assessing AI system impact on individuals or groups of individuals
A.5.5|Assessing societal impacts of AI systems
A.6.1.2|Objectives for responsible development of AI system
A.6.1.3|Processes for responsible AI system design and development
A.6.2.2|AI system requirements and specification
A.6.2.3|Documentation of AI system design and development
A.6.2.4|AI system verification and validation
A.6.2.5|AI system deployment
A.6.2.6|AI system operation and monitoring
A.6.2.7|AI system technical documentation
A.6.2.8|AI system recording of event logs
A.7.2|Data for development and enhancement of AI system
A.7.3|Acquisition of data
A.7.4|Quality of data for AI systems
A.7.5|Data provenance
A.7.6|Data preparation
A.8.2|System documentation and information for users
A.8.3|External reporting
A.8.4|Communication of incidents
A.8.5|Information for interested parties
A.9.2|Processes for responsible use of AI systems
A.9.3|Objectives for responsible use of AI system
A.9.4|Intended use of the AI system
A.10.2|Allocating responsibilities
A.10.3|Suppliers
A.10.4|Customers";

const OBJECTIVES: &str = "\
A.2|Policies related to AI
A.3|Internal organization
A.4|Resources for AI systems
A.5|Assessing impacts of AI systems
A.6|AI system life cycle
A.6.1|Management guidance for AI system development
A.6.2|AI system life cycle
A.7|Data for AI systems
A.8|Information for interested parties of AI systems
A.9|Use of AI systems
A.10|Third-party and customer relationships";

const CLAUSES: &str = "\
4|Context of the organization
4.1|Understanding the organization and its context
4.2|Understanding the needs and expectations of interested parties
4.3|Determining the scope of the AI management system
4.4|AI management system
5|Leadership
5.1|Leadership and commitment
5.2|AI policy
5.3|Roles, responsibilities and authorities
6|Planning
6.1|Actions to address risks and opportunities
6.1.1|General
6.1.2|AI risk assessment
6.1.3|AI risk treatment
6.1.4|AI system impact assessment
6.2|AI objectives and planning to achieve them
6.3|Planning of changes
7|Support
7.1|Resources
7.2|Competence
7.3|Awareness
7.4|Communication
7.5|Documented information
7.5.1|General
7.5.2|Creating and updating documented information
7.5.3|Control of documented information
8|Operation
8.1|Operational planning and control
8.2|AI risk assessment
8.3|AI risk treatment
8.4|AI system impact assessment
9|Performance evaluation
9.1|Monitoring, measurement, analysis and evaluation
9.2|Internal audit
9.2.1|General
9.2.2|Internal audit programme
9.3|Management review
9.3.1|General
9.3.2|Management review inputs
9.3.3|Management review results
10|Improvement
10.1|Continual improvement
10.2|Nonconformity and corrective action";

fn pairs(fw: &Framework, kind: &str) -> String {
    fw.items
        .iter()
        .filter(|i| i.kind == kind)
        .map(|i| format!("{}|{}", i.reference, i.title))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn iso42001_has_exactly_the_38_annex_a_controls() {
    let c = catalog();
    let iso = c.framework("iso42001").expect("iso42001 pack");
    assert_eq!(pairs(iso, "control"), ANNEX_A);
    assert_eq!(pairs(iso, "control_objective"), OBJECTIVES);
    assert_eq!(pairs(iso, "clause"), CLAUSES);
    for ctl in iso.items.iter().filter(|i| i.kind == "control") {
        assert!(
            !ctl.reference.ends_with(".1"),
            "no control A.x.1: {}",
            ctl.reference
        );
        let objective = &ctl.reference[..ctl.reference.rfind('.').unwrap_or(0)];
        assert_eq!(
            ctl.parent, objective,
            "{} belongs to its objective",
            ctl.reference
        );
    }
}

#[test]
fn iso42001_annex_c_lists_are_complete() {
    let c = catalog();
    let iso = c.framework("iso42001").expect("iso42001 pack");
    let objectives: Vec<String> = (1..=11).map(|i| format!("C.2.{i}")).collect();
    let sources: Vec<String> = (1..=7).map(|i| format!("C.3.{i}")).collect();
    assert_eq!(refs_of(iso, "annex_c_objective"), objectives);
    assert_eq!(refs_of(iso, "risk_source"), sources);
}

#[test]
fn documented_information_follows_the_reference() {
    let c = catalog();
    let iso = c.framework("iso42001").expect("iso42001 pack");
    let di = |r: &str| {
        iso.items
            .iter()
            .find(|i| i.reference == r)
            .map(|i| i.documented_information.clone())
    };
    assert_eq!(di("4.3").as_deref(), Some("maintain"));
    assert_eq!(di("5.2").as_deref(), Some("maintain"));
    assert_eq!(di("6.1.3").as_deref(), Some("maintain_and_retain"));
    assert_eq!(di("9.2.2").as_deref(), Some("retain"));
    assert_eq!(di("10.2").as_deref(), Some("retain"));
    assert_eq!(di("5.1").as_deref(), Some("none"));
}

#[test]
fn nist_ai_rmf_has_4_functions_19_categories_72_subcategories() {
    let c = catalog();
    let rmf = c.framework("nist-ai-rmf").expect("nist-ai-rmf pack");
    assert_eq!(
        refs_of(rmf, "function"),
        vec!["GOVERN", "MAP", "MEASURE", "MANAGE"]
    );
    let cats: &[(&str, usize)] = &[
        ("GOVERN 1", 7),
        ("GOVERN 2", 3),
        ("GOVERN 3", 2),
        ("GOVERN 4", 3),
        ("GOVERN 5", 2),
        ("GOVERN 6", 2),
        ("MAP 1", 6),
        ("MAP 2", 3),
        ("MAP 3", 5),
        ("MAP 4", 2),
        ("MAP 5", 2),
        ("MEASURE 1", 3),
        ("MEASURE 2", 13),
        ("MEASURE 3", 3),
        ("MEASURE 4", 3),
        ("MANAGE 1", 4),
        ("MANAGE 2", 4),
        ("MANAGE 3", 2),
        ("MANAGE 4", 3),
    ];
    assert_eq!(
        refs_of(rmf, "category"),
        cats.iter().map(|(c, _)| c.to_string()).collect::<Vec<_>>()
    );
    let expected: Vec<String> = cats
        .iter()
        .flat_map(|(c, n)| (1..=*n).map(move |i| format!("{c}.{i}")))
        .collect();
    assert_eq!(expected.len(), 72);
    assert_eq!(refs_of(rmf, "subcategory"), expected);
}

#[test]
fn eu_ai_act_has_the_provisions_providers_and_deployers_act_on() {
    let c = catalog();
    let act = c.framework("eu-ai-act").expect("eu-ai-act pack");
    let have: HashSet<&str> = act.items.iter().map(|i| i.reference.as_str()).collect();
    let mut needed: Vec<String> = [
        "Art. 4",
        "Art. 5",
        "Art. 6",
        "Art. 6(3)",
        "Art. 26",
        "Art. 27",
        "Art. 49",
        "Art. 50",
        "Art. 72",
        "Art. 73",
        "Annex III",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    needed.extend((9..=17).map(|n| format!("Art. {n}")));
    needed.extend((1..=8).map(|n| format!("Annex III({n})")));
    for n in &needed {
        assert!(have.contains(n.as_str()), "missing {n}");
    }
    let title = |r: &str| {
        act.items
            .iter()
            .find(|i| i.reference == r)
            .map(|i| i.title.clone())
            .unwrap_or_default()
    };
    assert_eq!(title("Art. 5"), "Prohibited AI practices");
    assert_eq!(title("Art. 9"), "Risk management system");
    assert_eq!(title("Art. 14"), "Human oversight");
    assert_eq!(
        title("Annex III(4)"),
        "Employment, workers' management and access to self-employment"
    );
}

#[test]
fn crosswalks_cite_sources_and_cover_every_subcategory() {
    let c = catalog();
    let rmf_cw = c
        .crosswalks
        .iter()
        .find(|x| x.crosswalk.from == "nist-ai-rmf" && x.crosswalk.to == "iso42001")
        .expect("rmf crosswalk");
    assert!(rmf_cw.crosswalk.source.contains("Crosswalk"));
    assert_eq!(rmf_cw.mappings.len(), 72, "one row per AI RMF subcategory");
    let govern_1_1 = rmf_cw
        .mappings
        .iter()
        .find(|m| m.from == "GOVERN 1.1")
        .expect("GOVERN 1.1");
    assert_eq!(govern_1_1.to, vec!["4.1", "6.2", "A.2.2", "A.2.4"]);
    let act_cw = c
        .crosswalks
        .iter()
        .find(|x| x.crosswalk.from == "iso42001" && x.crosswalk.to == "eu-ai-act")
        .expect("act crosswalk");
    assert!(!act_cw.mappings.is_empty());
    assert!(
        act_cw
            .mappings
            .iter()
            .any(|m| m.from == "A.9.4" && m.to.iter().any(|t| t == "Art. 26"))
    );
}

#[test]
fn broken_packs_are_refused_with_the_item_named() {
    let text = r#"
[framework]
id = "iso42001"
name = "x"
title = "x"
publisher = "x"
version = "x"
pack_version = 1
source = "x"
description = "x"

[[items]]
ref = "A.2.2"
kind = "control"
parent = "A.2"
title = "AI policy"
description = "x"
documented_information = "maintain"
topics = ["x"]
evidence = ["x"]
"#;
    let e = parse_framework("t.toml", text).unwrap_err();
    assert!(e.to_string().contains("item A.2.2: parent 'A.2'"), "{e}");
    let dup = text.replace("parent = \"A.2\"\n", "")
        + "\n[[items]]\nref = \"A.2.2\"\nkind = \"control\"\ntitle = \"t\"\ndescription = \"d\"\ndocumented_information = \"none\"\ntopics = [\"x\"]\nevidence = [\"x\"]\n";
    assert!(
        parse_framework("t.toml", &dup)
            .unwrap_err()
            .to_string()
            .contains("appears twice")
    );
}

#[test]
fn annex_iii_area_titles_keep_the_acts_qualifier() {
    let c = catalog();
    let act = c.framework("eu-ai-act").expect("eu-ai-act pack");
    let title = |r: &str| {
        let item = act.items.iter().find(|i| i.reference == r);
        item.map(|i| i.title.clone()).unwrap_or_default()
    };
    for area in ["Annex III(1)", "Annex III(6)", "Annex III(7)"] {
        assert!(
            title(area).ends_with(
                ", in so far as their use is permitted under relevant Union or national law"
            ),
            "{area}: {}",
            title(area)
        );
    }
    assert_eq!(title("Annex III(2)"), "Critical infrastructure");
}
