//! The OpenAPI 3 document, generated from the route table so it lists exactly what exists.

use crate::access::StaffArea;
use crate::routes::{Access, Body, ROUTES};
use serde_json::{json, Map, Value};

pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let params: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        let access = match route.access {
            Access::Public => "public".to_owned(),
            Access::Optional => "public, session optional".to_owned(),
            Access::Person => "signed_in".to_owned(),
            Access::Brand(action) => format!("brand:{action:?}"),
            Access::Staff(StaffArea::Manager) => "staff:manager".to_owned(),
            Access::Staff(StaffArea::Admin) => "staff:operator".to_owned(),
            Access::Signed => "marketplace webhook signature".to_owned(),
        };
        let mut op = json!({
            "operationId": format!("{:?}", route.id),
            "summary": route.summary,
            "parameters": params,
            "x-access": access,
            "responses": {
                "200": { "description": "Success", "content": { "application/json": {} } },
                "default": { "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        if matches!(
            route.access,
            Access::Public | Access::Optional | Access::Signed
        ) {
            op["security"] = json!([]);
        }
        if route.body != Body::None {
            let content: Map<String, Value> = route
                .body
                .accepts()
                .iter()
                .map(|ct| ((*ct).to_owned(), json!({ "schema": {} })))
                .collect();
            op["requestBody"] = json!({ "required": true, "content": content });
        }
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[route.method.as_str().to_lowercase()] = op;
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "JointForce API", "version": "1" },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "jf_session" }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": { "error": { "type": "object", "properties": {
                        "code": { "type": "string" }, "message": { "type": "string" }, "field": { "type": "string" },
                        "reason": { "type": "string", "description": "why, as a code (see core/src/reasons.rs), when the message is a known one" },
                        "args": { "type": "array", "items": { "type": "string" }, "description": "the data inside the reason" }
                    }, "required": ["code", "message"] } }
                }
            }
        },
        "security": [{ "session": [] }]
    })
}
