//! One way for the use-case tests to get a fresh store with one organization, on each backend under test.

use crate::orgs::InitInput;
use crate::{Actor, App};
use aims_store::testing::{TestDb, backends};

/// A fresh application on one backend with one initialised organization. Keep `db` alive while `app` is used:
/// dropping it removes a SQLite file.
pub(crate) struct TestOrg {
    pub(crate) app: App,
    pub(crate) org: crate::OrgId,
    pub(crate) operator: Actor,
    pub(crate) backend: aims_store::Backend,
    _db: TestDb,
}

/// Runs `test` once per backend under test (SQLite always, PostgreSQL when configured), each on a new store.
pub(crate) async fn on_each_backend<F>(test: F)
where
    F: AsyncFn(&TestOrg),
{
    for backend in backends() {
        let db = TestDb::new(backend).await.unwrap();
        let app = App::open_or_create(&db.url).await.unwrap();
        let operator = Actor::operator("test");
        let init = app
            .init(
                &operator,
                InitInput {
                    org_name: "Test Org".into(),
                    org_slug: None,
                    admin_email: "admin@test.example".into(),
                    admin_name: "Admin".into(),
                    admin_password: Some("a long enough password".into()),
                },
            )
            .await
            .unwrap();
        let org = init.organization.org_id();
        // The test borrows the fixture, so the database (and a SQLite file's directory) lives until it ends.
        let fixture = TestOrg {
            app: app.clone(),
            org,
            operator,
            backend,
            _db: db,
        };
        test(&fixture).await;
        app.close().await;
    }
}
