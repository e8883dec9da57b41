//! Tests of the target services.
