//! XML response bodies (S3, IAM, EC2, RDS, ELBv2, SNS, CloudFront) as JSON values, so a snapshot
//! holds one kind of document whatever the service's protocol.
//!
//! The conversion is lossless for what AWS sends and keeps AWS's element names:
//! - the root element is dropped (its name is the operation's response name) and its content is
//!   the value;
//! - an element with child elements becomes an object; a child name that repeats becomes an
//!   array, and children named `member` (query protocol) or `item` (EC2) are always arrays, so a
//!   one-element list reads the same as a longer one. S3's unwrapped lists (`<Grant>` repeated
//!   inside `<AccessControlList>`) stay objects when they hold one entry: readers treat "one or
//!   many" alike ([`crate::json::list`]);
//! - a leaf element becomes its text (`""` when empty); XML has no types, so numbers and booleans
//!   stay strings (`"true"`, `"90"`);
//! - attributes become `@name` members (`@type` from S3's `xsi:type`), and the text of an element
//!   with attributes becomes `#text`;
//! - namespaces are dropped from names.
//!
//! DTDs are refused (no entity expansion) and nesting deeper than [`MAX_DEPTH`] is an error.

use serde_json::{Map, Value};

/// The deepest element nesting accepted. AWS responses nest fewer than 15 levels.
pub const MAX_DEPTH: usize = 128;

/// Why an XML body could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum XmlError {
    /// The text is not well-formed XML (or declares a DTD).
    #[error("the XML response does not parse: {0}")]
    Parse(#[from] roxmltree::Error),
    /// Elements nest deeper than [`MAX_DEPTH`].
    #[error("the XML response nests deeper than {MAX_DEPTH} elements")]
    TooDeep,
}

/// The JSON value of an XML response body (see the module documentation for the mapping).
pub fn to_json(text: &str) -> Result<Value, XmlError> {
    let doc = roxmltree::Document::parse(text)?;
    element(doc.root_element(), 0)
}

fn element(node: roxmltree::Node<'_, '_>, depth: usize) -> Result<Value, XmlError> {
    if depth > MAX_DEPTH {
        return Err(XmlError::TooDeep);
    }
    let children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
    let attributes: Vec<_> = node.attributes().collect();
    if children.is_empty() {
        let text = node.text().unwrap_or("").to_string();
        if attributes.is_empty() {
            return Ok(Value::String(text));
        }
        let mut object = Map::new();
        for attribute in attributes {
            object.insert(
                format!("@{}", attribute.name()),
                Value::String(attribute.value().to_string()),
            );
        }
        object.insert("#text".into(), Value::String(text));
        return Ok(Value::Object(object));
    }
    let mut object = Map::new();
    for attribute in attributes {
        object.insert(
            format!("@{}", attribute.name()),
            Value::String(attribute.value().to_string()),
        );
    }
    for child in children {
        let name = child.tag_name().name();
        let value = element(child, depth + 1)?;
        let always_list = matches!(name, "member" | "item");
        match object.get_mut(name) {
            // An element other than `member`/`item` becomes an array once it repeats.
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None if always_list => {
                object.insert(name.to_string(), Value::Array(vec![value]));
            }
            None => {
                object.insert(name.to_string(), value);
            }
        }
    }
    Ok(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_protocol_lists_are_arrays_even_with_one_member() {
        let xml = r#"<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListUsersResult><IsTruncated>false</IsTruncated><Users><member><UserName>alice</UserName></member></Users></ListUsersResult>
</ListUsersResponse>"#;
        assert_eq!(
            to_json(xml).unwrap(),
            json!({"ListUsersResult": {"IsTruncated": "false", "Users": {"member": [{"UserName": "alice"}]}}})
        );
    }

    #[test]
    fn repeated_elements_become_arrays_and_attributes_are_kept() {
        let xml = r#"<AccessControlPolicy><AccessControlList>
<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>
<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>abc</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>
</AccessControlList></AccessControlPolicy>"#;
        let value = to_json(xml).unwrap();
        let grants = value["AccessControlList"]["Grant"].as_array().unwrap();
        assert_eq!(grants.len(), 2);
        assert_eq!(grants[0]["Grantee"]["@type"], "Group");
        assert_eq!(grants[1]["Permission"], "FULL_CONTROL");
    }

    #[test]
    fn empty_and_text_with_attributes() {
        let value = to_json(r#"<R><Empty/><Tagged a="1">x</Tagged></R>"#).unwrap();
        assert_eq!(
            value,
            json!({"Empty": "", "Tagged": {"@a": "1", "#text": "x"}})
        );
    }

    #[test]
    fn dtds_and_deep_nesting_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><R>&lol2;</R>"#;
        assert!(matches!(to_json(bomb), Err(XmlError::Parse(_))));
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 5),
            "</a>".repeat(MAX_DEPTH + 5)
        );
        assert!(matches!(to_json(&deep), Err(XmlError::TooDeep)));
    }
}
