//! The YAML 1.1 lint.
use crate::finding::Finding;
use crate::yaml::Document;

pub fn check(_doc: &Document, _findings: &mut Vec<Finding>) {}
