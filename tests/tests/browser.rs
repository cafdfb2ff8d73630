//! Browser tests: real Chromium (headless) against the real stack, at phone and desktop sizes.

use jf_tests::browser::{Browser, DESKTOP, PHONE};
use std::time::Duration;

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

async fn html_lang(b: &Browser) -> String {
    let v = b
        .client
        .execute("return document.documentElement.lang", vec![])
        .await
        .expect("lang");
    v.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn alice_signs_in_sees_aurelia_reads_it_in_chinese_and_signs_out() {
    for (size, label) in [(PHONE, "phone"), (DESKTOP, "desktop")] {
        let b = Browser::open(size).await;
        // A signed-out visitor is sent to sign in, without any console error.
        b.goto("/").await;
        b.find("#email").await;
        b.sign_in("alice@aurelia.test").await;
        b.wait_text("#brand-name", "Aurelia").await;
        b.assert_no_horizontal_scroll().await;
        b.screenshot(&format!("alice-brand-home-{label}")).await;

        // English first (the language switch itself offers 中文).
        assert_eq!(
            b.find("#sign-out").await.text().await.unwrap_or_default(),
            "Sign out"
        );
        b.find("#lang-switch")
            .await
            .click()
            .await
            .expect("switch language");
        let mut chinese = String::new();
        for _ in 0..50 {
            chinese = b.find("#sign-out").await.text().await.unwrap_or_default();
            if has_chinese(&chinese) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(has_chinese(&chinese), "sign-out translated: {chinese}");
        let body = b.body_text().await;
        assert!(
            !body.contains("Sign out") && !body.contains("Members"),
            "no English left: {body}"
        );
        assert_eq!(html_lang(&b).await, "zh-CN");
        assert!(body.contains("Aurelia"), "brand names are not translated");
        b.assert_no_horizontal_scroll().await;
        b.screenshot(&format!("alice-brand-home-zh-{label}")).await;

        // The choice is remembered across a reload.
        b.client.refresh().await.expect("reload");
        b.wait_text("#brand-name", "Aurelia").await;
        assert!(
            has_chinese(&b.body_text().await),
            "language remembered after reload"
        );
        b.find("#lang-switch")
            .await
            .click()
            .await
            .expect("back to English");
        b.wait_text("#sign-out", "Sign out").await;

        b.find("#sign-out").await.click().await.expect("sign out");
        b.find("#email").await;
        // The old session is gone: the brand page sends us back to sign in.
        b.goto("/brands/00000000-0000-4000-8000-000000000000").await;
        b.find("#email").await;
        b.finish().await;
    }
}

#[tokio::test]
async fn the_agency_agent_switches_between_aurelia_and_northwind() {
    let b = Browser::open(PHONE).await;
    b.sign_in("agent@brandguard.test").await;
    b.wait_text("#brand-name", "Aurelia").await;
    let switcher = b.find("#brand-switcher").await;
    switcher
        .select_by_label("Northwind")
        .await
        .expect("choose Northwind");
    b.wait_text("#brand-name", "Northwind").await;
    b.assert_no_horizontal_scroll().await;
    b.screenshot("agent-northwind-phone").await;
    b.find("#brand-switcher")
        .await
        .select_by_label("Aurelia")
        .await
        .expect("choose Aurelia");
    b.wait_text("#brand-name", "Aurelia").await;
    b.finish().await;
}

#[tokio::test]
async fn the_account_manager_sees_their_three_brands_not_cobalt() {
    for (size, label) in [(PHONE, "phone"), (DESKTOP, "desktop")] {
        let b = Browser::open(size).await;
        b.sign_in("am@marketplace.test").await;
        b.wait_text("#staff-brands", "Northwind").await;
        let list = b
            .find("#staff-brands")
            .await
            .text()
            .await
            .unwrap_or_default();
        for name in ["Aurelia", "Northwind", "Dorado"] {
            assert!(list.contains(name), "{name} missing from {list}");
        }
        assert!(!list.contains("Cobalt"), "Cobalt is not theirs: {list}");
        b.assert_no_horizontal_scroll().await;
        b.screenshot(&format!("am-staff-home-{label}")).await;
        b.finish().await;
    }
}
