//! The case list's sorts on wrangler dev: each sort's order across two keyset pages, with the
//! filters and search; a bad sort and a cursor of another sort refused 400, naming the field
//! and its reason; the export in the list's sort. Orders, ties and plans are tested natively
//! (`core/tests/case_sorts.rs`); these check the same through the Worker and D1.

use jf_tests::*;
use serde_json::Value;
use std::collections::HashSet;

const SORTS: [&str; 8] = [
    "created",
    "-created",
    "updated",
    "-updated",
    "deadline",
    "-deadline",
    "status",
    "-status",
];

/// A case's place in `sort`: its key as the server orders it (cases without a deadline last
/// either way), then its id.
fn place(sort: &str, case: &Value) -> (Value, String) {
    let key = match sort.trim_start_matches('-') {
        "created" => case["created_at"].clone(),
        "updated" => case["updated_at"].clone(),
        "status" => case["status"].clone(),
        "deadline" => match case["deadline_at"].as_i64() {
            Some(at) => at.into(),
            None if sort.starts_with('-') => 0.into(),
            None => 9_007_199_254_740_991_i64.into(),
        },
        other => panic!("no sort {other}"),
    };
    (key, case["id"].as_str().unwrap_or_default().to_owned())
}

/// Whether `a` comes strictly before `b` in `sort`.
fn before(sort: &str, a: &Value, b: &Value) -> bool {
    let (ka, ia) = place(sort, a);
    let (kb, ib) = place(sort, b);
    let ordering = match (ka.as_i64(), kb.as_i64()) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => ka.as_str().unwrap_or("").cmp(kb.as_str().unwrap_or("")),
    }
    .then_with(|| ia.cmp(&ib));
    if sort.starts_with('-') {
        ordering.is_gt()
    } else {
        ordering.is_lt()
    }
}

fn cases(answer: &Answer) -> Vec<Value> {
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()["cases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Two pages of `sort` under `filters` (`a=b&…`): every case after the one before it, none twice,
/// and the second page's cursor-less twin refused nothing.
async fn two_pages(caller: &Caller, brand: &str, sort: &str, filters: &str) -> Vec<Value> {
    let first = caller
        .get(&format!(
            "/api/v1/brands/{brand}/cases?{filters}sort={sort}&limit=5"
        ))
        .await;
    let mut listed = cases(&first);
    let cursor = first.json()["next_cursor"]
        .as_str()
        .unwrap_or_else(|| panic!("{sort}: a second page ({})", first.text))
        .to_owned();
    assert!(cursor.starts_with(&format!("{sort}.")), "{cursor}");
    let second = caller
        .get(&format!(
            "/api/v1/brands/{brand}/cases?{filters}sort={sort}&limit=5&cursor={cursor}"
        ))
        .await;
    listed.extend(cases(&second));
    assert!(listed.len() > 5, "{sort}: {}", second.text);
    let ids: HashSet<&str> = listed.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids.len(), listed.len(), "{sort}: no case twice");
    for pair in listed.windows(2) {
        assert!(
            before(sort, &pair[0], &pair[1]),
            "{sort} {filters}: {} then {}",
            pair[0],
            pair[1]
        );
    }
    listed
}

/// Each sort orders Aurelia's cases across two pages; the filters and search keep working with
/// each; the default is newest first.
#[tokio::test]
async fn each_sort_orders_the_list_across_two_pages_with_filters_and_search() {
    let aurelia = brand_id("Aurelia").await;
    let alice = Caller::login("alice@aurelia.test").await;
    for sort in SORTS {
        two_pages(&alice, &aurelia, sort, "").await;
    }
    // Soonest deadline first: the running deadlines come before the cases without one.
    let by_deadline = two_pages(&alice, &aurelia, "deadline", "").await;
    assert!(
        by_deadline[0]["deadline_at"].is_i64(),
        "the demo brand has running deadlines: {}",
        by_deadline[0]
    );
    let unsorted = cases(
        &alice
            .get(&format!("/api/v1/brands/{aurelia}/cases?limit=5"))
            .await,
    );
    for pair in unsorted.windows(2) {
        assert!(before("-created", &pair[0], &pair[1]), "newest first");
    }
    // Filters and search with a sort: what they choose, in its order.
    let flagged = cases(
        &alice
            .get(&format!(
                "/api/v1/brands/{aurelia}/cases?status=awaiting_brand&sort=deadline&limit=100"
            ))
            .await,
    );
    assert!(!flagged.is_empty());
    assert!(flagged.iter().all(|c| c["status"] == "awaiting_brand"));
    for pair in flagged.windows(2) {
        assert!(before("deadline", &pair[0], &pair[1]));
    }
    let searched = two_pages(&alice, &aurelia, "status", "q=Aurelia&").await;
    for c in &searched {
        let text = ["title", "seller_name", "seller_id", "listing_id"]
            .map(|f| c[f].as_str().unwrap_or("").to_lowercase())
            .join(" ");
        assert!(text.contains("aurelia"), "found by its text: {c}");
    }
    two_pages(&alice, &aurelia, "-updated", "origin=report&").await;
}

/// A sort that is none of them is refused 400 naming `sort` and listing the sorts; a cursor
/// given with another sort than its own is refused 400 naming `cursor`; another brand's member
/// still gets 404 first (scope before input).
#[tokio::test]
async fn a_bad_sort_or_a_cursor_of_another_sort_is_refused_400() {
    let aurelia = brand_id("Aurelia").await;
    let alice = Caller::login("alice@aurelia.test").await;
    for bad in ["title", "DEADLINE", "%2Bcreated", "created,id"] {
        let a = alice
            .get(&format!("/api/v1/brands/{aurelia}/cases?sort={bad}"))
            .await;
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        let error = &a.json()["error"];
        assert_eq!(error["field"], "sort", "{}", a.text);
        assert_eq!(error["reason"], "sort_codes", "{}", a.text);
        for sort in SORTS {
            assert!(a.text.contains(sort), "the sorts are named: {}", a.text);
        }
    }
    // The export reads the same sort: refused alike. (Once, and for another brand: a brand has
    // 5 exports a minute, and the test after this exports Aurelia's list three times.)
    let nina = Caller::login("nina@northwind.test").await;
    let northwind = brand_id("Northwind").await;
    let export = nina
        .get(&format!(
            "/api/v1/brands/{northwind}/export/cases.csv?sort=title"
        ))
        .await;
    assert_eq!(export.status, 400, "{}", export.text);
    assert_eq!(export.json()["error"]["field"], "sort");
    let first = alice
        .get(&format!(
            "/api/v1/brands/{aurelia}/cases?sort=deadline&limit=2"
        ))
        .await
        .json();
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    for other in ["-deadline", "created", "status", "updated"] {
        let a = alice
            .get(&format!(
                "/api/v1/brands/{aurelia}/cases?sort={other}&cursor={cursor}"
            ))
            .await;
        assert_eq!(a.status, 400, "{other}: {}", a.text);
        assert_eq!(a.json()["error"]["field"], "cursor");
        assert_eq!(a.json()["error"]["reason"], "cursor_other_sort");
    }
    // Without a sort the list is newest first: a deadline cursor is not one of its cursors.
    let a = alice
        .get(&format!("/api/v1/brands/{aurelia}/cases?cursor={cursor}"))
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.json()["error"]["field"], "cursor");
    let a = nina
        .get(&format!("/api/v1/brands/{aurelia}/cases?sort=title"))
        .await;
    assert_eq!(
        a.status, 404,
        "another brand's list is not there: {}",
        a.text
    );
}

/// A search holding a control character (a NUL read FTS5's phrase as unterminated: a 500) is
/// refused 400 naming `q` and its reason; a search with quotes still searches.
#[tokio::test]
async fn a_search_with_a_control_character_is_refused_400() {
    let aurelia = brand_id("Aurelia").await;
    let alice = Caller::login("alice@aurelia.test").await;
    for q in ["%00abc", "Aurelia%00", "ab%09cd"] {
        let a = alice
            .get(&format!("/api/v1/brands/{aurelia}/cases?q={q}"))
            .await;
        assert_eq!(a.status, 400, "{q}: {}", a.text);
        assert_eq!(a.json()["error"]["field"], "q", "{}", a.text);
        assert_eq!(
            a.json()["error"]["reason"],
            "control_characters",
            "{}",
            a.text
        );
    }
    let quoted = alice
        .get(&format!(
            "/api/v1/brands/{aurelia}/cases?q=%22Aur%22elia%22"
        ))
        .await;
    assert_eq!(quoted.status, 200, "{}", quoted.text);
}

/// The export follows the list's sort: the cases of the list come in the file in the list's order.
#[tokio::test]
async fn the_export_comes_in_the_lists_sort() {
    let aurelia = brand_id("Aurelia").await;
    let alice = Caller::login("alice@aurelia.test").await;
    for sort in ["deadline", "-updated", "status"] {
        let listed: Vec<String> = cases(
            &alice
                .get(&format!(
                    "/api/v1/brands/{aurelia}/cases?sort={sort}&limit=100"
                ))
                .await,
        )
        .iter()
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
        let csv = alice
            .get(&format!(
                "/api/v1/brands/{aurelia}/export/cases.csv?sort={sort}"
            ))
            .await;
        assert_eq!(csv.status, 200, "{}", csv.text);
        // Cases filed meanwhile by other tests may join the file; those of the list keep its order.
        let in_file: Vec<String> = csv
            .text
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').next())
            .map(str::to_owned)
            .filter(|id| listed.contains(id))
            .collect();
        let still_listed: Vec<String> = listed
            .iter()
            .filter(|id| in_file.contains(id))
            .cloned()
            .collect();
        assert_eq!(in_file, still_listed, "{sort}");
        assert!(in_file.len() >= listed.len().min(10), "{sort}");
    }
}
