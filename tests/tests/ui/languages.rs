//! The interface in English, Russian and Kazakh, switched without a
//! restart and remembered.

use mission_crm_e2e::Driver;

use crate::{open_new_contact_form, temp_db};

#[tokio::test]
async fn switching_to_russian_then_kazakh_changes_the_words_and_the_money_at_once() {
    let (_dir, db) = temp_db();
    let driver = Driver::start(&db).await;
    let app = driver.launch().await;
    app.click("[data-testid=load-demo]").await;
    let english = app
        .wait_for_text("[data-testid=mission-total]", "3,000,000.00")
        .await;

    app.click("a[data-nav=settings]").await;
    app.select_index("[data-testid=language]", 1).await; // Русский
    app.wait_for_text("[data-testid=nav]", "Миссии").await;
    app.click("a[data-nav=missions]").await;
    app.click_link("Business mission of Kazakhstan to Turkmenistan")
        .await;
    let russian = app
        .wait_for_text("[data-testid=mission-total]", "000,00")
        .await;
    assert_ne!(russian, english);
    // Grouped by spaces (of whichever kind), a decimal comma: "000,00" alone
    // would be found in the English "3,000,000.00" too.
    let digits: String = russian.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(digits.contains("3000000,00"), "{russian:?}");
    // The host country by its name in the language (its code was shown).
    app.wait_for_text("[data-testid=mission-facts]", "Туркменистан")
        .await;
    // A field's error in the language, without the engine's English beside
    // it ("phone: \"12345\" is not a valid number for its country").
    open_new_contact_form(&app).await;
    app.fill("input[name=full_name]", "Сахметов").await;
    app.fill("input[name=phone]", "12345").await;
    app.click("[data-testid=save]").await;
    let error = app
        .wait_for_text("[data-field=phone] [role=alert]", "номер телефона")
        .await;
    assert!(!error.contains("12345"), "{error}");
    // Nor at the top of the form.
    let form = app.text("[data-testid=contact-form]").await;
    assert!(!form.contains("is not a valid"), "{form}");

    app.click("a[data-nav=settings]").await;
    app.click("[data-testid=leave]").await; // the form's typed work
    app.select_index("[data-testid=language]", 2).await; // Қазақша
    app.wait_for_text("[data-testid=nav]", "Миссиялар").await;
    app.wait_for_text("[data-testid=nav]", "Контактілер").await;
    app.screenshot("settings-kazakh").await;
    app.close().await;

    // Remembered: the next start is in Kazakh; then back to English.
    let app = driver.launch_keeping_settings().await;
    app.wait_for_text("[data-testid=nav]", "Миссиялар").await;
    app.click("a[data-nav=settings]").await;
    app.select_index("[data-testid=language]", 0).await;
    app.wait_for_text("[data-testid=nav]", "Missions").await;
    app.close().await;
}
