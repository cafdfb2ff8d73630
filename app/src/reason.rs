//! Why the server refused, in Chinese: one arm per reason of `jf_core::reasons`, no wildcard.
// A reason added in core without its Chinese must fail the build, not fall back to English: no
// wildcard arm, even one standing for a single reason (clippy lints that case separately).
#![deny(
    clippy::wildcard_enum_match_arm,
    clippy::match_wildcard_for_single_variants
)]

use jf_core::case_list::CaseSort;
use jf_core::cases::ReasonCode;
use jf_core::reasons::Reason;

/// The Chinese for `reason`: a sentence with `{0}`, `{1}`… where its data goes, and the data (so
/// a view can mark the data as data; English shows the server's own message).
pub fn reason_zh(reason: &Reason) -> (&'static str, Vec<String>) {
    match reason {
        Reason::Empty => ("不能为空。", Vec::new()),
        Reason::TooLong { max } => ("最多 {0} 个字符。", vec![max.to_string()]),
        Reason::TooShort { min } => ("至少需要 {0} 个字符。", vec![min.to_string()]),
        Reason::Length { max } => ("长度须为 1–{0} 个字符。", vec![max.to_string()]),
        Reason::ControlCharacters => ("不能包含控制字符。", Vec::new()),
        Reason::Email => ("须为有效的地址，例如 name@example.com。", Vec::new()),
        Reason::UrlInvalid => (
            "须为完整网址，例如 https://hooks.example.com/jointforce。",
            Vec::new(),
        ),
        Reason::UrlCredentials => ("不能包含用户名或密码。", Vec::new()),
        Reason::UrlHttps => ("须使用 https。", Vec::new()),
        Reason::UrlNotPublic => ("须为公网地址，不能是私有或保留地址。", Vec::new()),
        Reason::UrlLocalhost => ("不能指向本机（localhost）。", Vec::new()),
        Reason::NotALink { link } => ("{0} 不是 http(s) 链接。", vec![link.to_string()]),
        Reason::ListingReference { prefix } => (
            "请填写商品编号，或以 {0} 开头的商品网址。",
            vec![prefix.to_string()],
        ),
        Reason::ListingReferenceAny => ("请填写商品编号或平台商品网址。", Vec::new()),
        Reason::ListingUrlId => ("该网址末尾没有商品编号。", Vec::new()),
        Reason::GoodFaith => ("您必须善意声明该商品侵犯了您的权利。", Vec::new()),
        Reason::ChooseEvent => ("请至少选择一个事件。", Vec::new()),
        Reason::WrongPassword => ("不正确。", Vec::new()),
        Reason::RightNumber => ("须为 2–40 个字符，只能包含 A–Z、0–9 和 “-”。", Vec::new()),
        Reason::TooManyFiles { max } => ("最多 {0} 个文件。", vec![max.to_string()]),
        Reason::TooManyLinks { max } => ("最多 {0} 个链接。", vec![max.to_string()]),
        Reason::FileEmpty => ("内容为空。", Vec::new()),
        Reason::FileNoRows => ("表头下面没有数据行。", Vec::new()),
        Reason::FileTooManyRows { rows, max } => (
            "有 {0} 行，每次上传最多 {1} 行。",
            vec![rows.to_string(), max.to_string()],
        ),
        Reason::FileColumns { missing } => ("缺少以下列：{0}。", vec![missing.join("、")]),
        Reason::FileNotUtf8 { line } => (
            "不是 UTF-8 文本（第 {0} 行），请另存为 UTF-8 编码的 CSV。",
            vec![line.to_string()],
        ),
        Reason::SayWhyRejected => ("请说明驳回该权利的原因，品牌方会看到。", Vec::new()),
        Reason::SayWhySuspended => ("请说明暂停该品牌的原因，品牌方会看到。", Vec::new()),
        Reason::SayWhyDiscarded => ("请说明丢弃该死信的原因，审计日志会记录。", Vec::new()),
        Reason::AlreadyMember { email } => ("{0} 已是该品牌的成员。", vec![email.to_string()]),
        Reason::NoSuchUser { email } => (
            "没有邮箱为 {0} 的用户，请先创建该用户。",
            vec![email.to_string()],
        ),
        Reason::LastAdmin => ("品牌至少需要一名品牌管理员。", Vec::new()),
        Reason::RightRegistered => ("该权利（类型、法域和编号）已登记。", Vec::new()),
        Reason::RightNotYours => ("该知识产权不属于您的品牌。", Vec::new()),
        Reason::RightNotVerified { number } => (
            "知识产权 {0} 尚未核实，只能引用已核实的权利。",
            vec![number.to_string()],
        ),
        Reason::RightExpired { number } => ("知识产权 {0} 已过期。", vec![number.to_string()]),
        Reason::NoListing { listing } => ("平台上没有商品 {0}。", vec![listing.to_string()]),
        Reason::ChangedMeanwhile => ("该案件刚刚被他人更改，请刷新后重试。", Vec::new()),
        // The status and the move are codes, not words a reader knows: the sentence says what to do.
        Reason::CaseState { .. } => ("该案件当前的状态不允许此操作，请刷新后查看。", Vec::new()),
        Reason::KeyRevoked => ("该密钥已被撤销。", Vec::new()),
        Reason::DeliveryNotTried => ("该投递尚未尝试过，到期后会自动发送。", Vec::new()),
        Reason::CannotJoin { email } => ("{0} 无法被邀请加入品牌。", vec![email.to_string()]),
        Reason::InvitationAccepted => ("此邀请已被接受。", Vec::new()),
        Reason::LinkUsed => ("此链接已被使用。", Vec::new()),
        Reason::SetPasswordFirst => (
            "该账户尚未设置密码：请先通过我们发到该邮箱的邮件设置密码，然后登录并接受邀请。",
            Vec::new(),
        ),
        Reason::OtherAccount => ("此邀请是发给另一个账户的，请用受邀的邮箱登录。", Vec::new()),
        Reason::OwnAccount => ("不能以这种方式更改您自己的账户。", Vec::new()),
        Reason::EnableFirst => ("该账户已停用，请先启用。", Vec::new()),
        Reason::UserExists { email } => ("已存在邮箱为 {0} 的用户。", vec![email.to_string()]),
        Reason::EnrolNeedsRight => ("加入计划需要至少一项已核实且未过期的知识产权。", Vec::new()),
        Reason::EnrolNeedsShopOrAgreement => (
            "加入计划需要平台官方店铺（由平台核实）或已签署的合作协议。",
            Vec::new(),
        ),
        Reason::NotAccountManager => ("所选人员不是客户经理（或其账户已停用）。", Vec::new()),
        // The codes are written as they are: data, not words.
        Reason::ReasonCodes => (
            "须为以下代码之一：{0}。",
            vec![ReasonCode::ALL.map(ReasonCode::as_str).join("、")],
        ),
        Reason::SortCodes => (
            "排序方式须为以下之一：{0}。",
            vec![CaseSort::ALL.map(CaseSort::as_str).join("、")],
        ),
        Reason::CursorOtherSort => ("该游标属于另一种排序，请从第一页重新开始。", Vec::new()),
        Reason::TooManyListings { max } => ("一次最多 {0} 件商品。", vec![max.to_string()]),
        Reason::ListingTwice { listing } => ("商品 {0} 出现了不止一次。", vec![listing.clone()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_in_chinese_with_its_data() {
        for reason in Reason::examples() {
            let (template, args) = reason_zh(&reason);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let zh = crate::i18n::fill(template, &args);
            assert!(!zh.is_empty() && !zh.contains('{'), "{reason:?}: {zh}");
            // The data sits in the sentence (a case's codes are not said; missing columns are
            // listed the Chinese way, with 、).
            if !matches!(
                reason,
                Reason::CaseState { .. } | Reason::FileColumns { .. }
            ) {
                for arg in reason.args() {
                    assert!(zh.contains(&arg), "{reason:?}: {zh}");
                }
            }
        }
    }

    /// A reason added to core without its Chinese fails the build: the match names every reason
    /// (no `_` arm) and clippy is told to refuse one here (`cargo xtask test` runs clippy with
    /// warnings denied).
    #[test]
    fn the_translation_has_no_wildcard_arm_and_clippy_refuses_one() {
        let source = include_str!("reason.rs");
        let code = &source[..source.find("#[cfg(test)]").unwrap_or(source.len())];
        assert!(code.contains("#![deny(\n    clippy::wildcard_enum_match_arm,"));
        assert!(code.contains("clippy::match_wildcard_for_single_variants"));
        assert!(!code.contains("_ =>"), "a wildcard arm in reason_zh");
    }
}
