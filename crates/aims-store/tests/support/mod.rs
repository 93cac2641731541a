//! What the conformance suite and the change-log benchmark share: opening a test database's store and the
//! columns of a context issue.
#![allow(dead_code)]

use aims_store::testing::TestDb;
use aims_store::value::Value;
use aims_store::{OpenOptions, Store};

/// Opens the store of `db` with a small pool, creating its tables when `create` is set (a second process
/// opens an existing store without).
pub async fn open_store(db: &TestDb, create: bool) -> Store {
    Store::open(
        &db.url,
        OpenOptions {
            create,
            max_connections: 4,
        },
    )
    .await
    .expect("open store")
}

/// The columns of a context issue: its kind, title and whether it is climate-related; the rest are fixed.
pub fn issue_data(kind: &str, title: &str, climate_related: bool) -> Vec<Value> {
    vec![
        Value::Text(kind.into()),
        Value::Text(title.into()),
        Value::Text("description".into()),
        Value::Text("legal".into()),
        Value::Bool(climate_related),
    ]
}
