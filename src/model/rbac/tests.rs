//! RBAC tests.
