//! Narrow reads behind computed views (the Statement of Applicability, the risk register's heat map) that must
//! stay fast with a hundred thousand risks: they read a few columns and let the database pick the latest
//! assessment's levels out of the JSON, so no record is parsed in full.

use crate::error::StoreError;
use crate::{Conn, on_conn};
use sqlx::{AssertSqlSafe, Row as _};

/// A risk reduced to what the Statement of Applicability and the heat map need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskSummary {
    /// Risk id.
    pub id: String,
    /// Record version.
    pub version: i64,
    /// Title.
    pub title: String,
    /// Status.
    pub status: String,
    /// Inherent level of the latest assessment; empty when never assessed.
    pub inherent_level: String,
    /// Residual level of the latest assessment; empty when never assessed.
    pub residual_level: String,
}

/// Counts of in-scope, live AI systems per organization role, with one example name each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCount {
    /// The organization's role for the systems.
    pub role: String,
    /// How many systems.
    pub systems: i64,
    /// Name of one of them (the first by name).
    pub example: String,
}

impl Conn {
    /// Every risk of an organization as a [`RiskSummary`], in id order.
    pub async fn risk_summaries(&mut self, org: &str) -> Result<Vec<RiskSummary>, StoreError> {
        let level = |which: &str| {
            if self.is_sqlite() {
                format!("COALESCE(json_extract(assessments, '$[#-1].levels.{which}'), '')")
            } else {
                format!("COALESCE((assessments::jsonb -> -1 -> 'levels' ->> '{which}'), '')")
            }
        };
        let order = if self.is_sqlite() {
            "id"
        } else {
            "id COLLATE \"C\""
        };
        let sql = format!(
            "SELECT id, version, title, status, {}, {} FROM risks WHERE org_id = $1 ORDER BY {order}",
            level("inherent"),
            level("residual")
        );
        let out = on_conn!(self, |c| {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(org.to_string())
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(RiskSummary {
                    id: r.try_get(0)?,
                    version: r.try_get(1)?,
                    title: r.try_get(2)?,
                    status: r.try_get(3)?,
                    inherent_level: r.try_get(4)?,
                    residual_level: r.try_get(5)?,
                });
            }
            out
        });
        Ok(out)
    }

    /// In-scope AI systems that are not retired, counted per organization role.
    pub async fn system_role_counts(&mut self, org: &str) -> Result<Vec<RoleCount>, StoreError> {
        let sql = "SELECT org_role, COUNT(*), MIN(name) FROM ai_systems \
                   WHERE org_id = $1 AND in_scope = $2 AND lifecycle_stage <> 'retired' \
                   GROUP BY org_role ORDER BY org_role";
        let out = on_conn!(self, |c| {
            let rows = sqlx::query(sql)
                .bind(org.to_string())
                .bind(true)
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(RoleCount {
                    role: r.try_get(0)?,
                    systems: r.try_get(1)?,
                    example: r.try_get(2)?,
                });
            }
            out
        });
        Ok(out)
    }
    /// Names (first few, by name) of in-scope, live AI systems that have a component from a registered supplier.
    pub async fn systems_with_suppliers(
        &mut self,
        org: &str,
        limit: i64,
    ) -> Result<Vec<String>, StoreError> {
        let exists = if self.is_sqlite() {
            "EXISTS (SELECT 1 FROM json_each(components) WHERE json_extract(value, '$.supplier_id') <> '')"
        } else {
            "EXISTS (SELECT 1 FROM jsonb_array_elements(components::jsonb) e WHERE e ->> 'supplier_id' <> '')"
        };
        let sql = format!(
            "SELECT name FROM ai_systems WHERE org_id = $1 AND in_scope = $2 \
             AND lifecycle_stage <> 'retired' AND {exists} ORDER BY name LIMIT $3"
        );
        let out = on_conn!(self, |c| {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(org.to_string())
                .bind(true)
                .bind(limit)
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(r.try_get(0)?);
            }
            out
        });
        Ok(out)
    }
}
