//! Every string the app shows, in English and Simplified Chinese. `text` is one `match` that
//! answers both languages at once, so no key can miss a translation.

use crate::fmt;
use crate::state::use_app;
use jf_core::clock::Millis;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// BCP 47 tag: `<html lang>`, `Intl` locale, and what `localStorage["jf.lang"]` holds.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Reads a stored or browser language tag ("en", "en-GB", "zh", "zh-CN", "zh-Hans"…).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    // Frame
    ProductName,
    Tagline,
    MainNavigation,
    NavHome,
    NavMembers,
    NavAllBrands,
    NavAccount,
    SwitchBrand,
    ChooseBrand,
    SwitchLanguage,
    OtherLanguage,
    SignOut,
    Loading,
    Working,
    SomethingWrong,
    TryAgain,
    BackHome,
    SignInAgain,
    Yes,
    No,
    Cancel,
    You,
    Copy,
    Copied,
    ExpiresOn,
    // Errors
    ErrNetwork,
    ErrGeneric,
    ErrUnauthenticated,
    ErrInvalidCredentials,
    ErrTooManyAttempts,
    ErrCrossSite,
    ErrNotFound,
    ErrTooLarge,
    ErrInternal,
    // Sign-in
    SignInTitle,
    SignInLead,
    SignInHelp,
    SignIn,
    SigningIn,
    GoToSignIn,
    Email,
    Password,
    // Roles and statuses
    RoleBrandAdmin,
    RoleBrandAgent,
    RoleBrandViewer,
    StaffOperator,
    StaffAccountManager,
    ApiKeyRead,
    ApiKeyReadWrite,
    BrandUser,
    StatusApplied,
    StatusEnrolled,
    StatusSuspended,
    // Home
    NoBrandsTitle,
    NoBrandsBody,
    NoBrandsHint,
    // Brand home
    BrandNotFound,
    Programme,
    ProgrammeStatus,
    OfficialShop,
    CooperationAgreement,
    AgreementSigned,
    AgreementNone,
    StatusAppliedExplained,
    StatusEnrolledExplained,
    StatusSuspendedExplained,
    SuspendedNoticeTitle,
    SuspensionReason,
    SuspensionNoReason,
    AccountManager,
    AccountManagerHelp,
    NoAccountManager,
    YourAccess,
    CanBrandAdmin,
    CanBrandAgent,
    CanBrandViewer,
    CanAccountManager,
    CanOperator,
    SeeMembers,
    // Members
    MembersTitle,
    MembersLead,
    MembersLeadAdmin,
    Role,
    RoleOf,
    JoinedOn,
    Remove,
    RemoveConfirm,
    ConfirmRemove,
    InviteTitle,
    InviteLead,
    CreateInviteLink,
    InviteCreatedFor,
    InviteLink,
    InviteLinkExplained,
    PendingInvitations,
    NoPendingInvitations,
    // Staff
    StaffTitle,
    StaffOnly,
    StaffLeadOperator,
    StaffLeadManager,
    Brands,
    NoStaffBrands,
    ManagedBy,
    MemberCount,
    CreateBrand,
    CreateBrandLead,
    BrandNameLabel,
    BrandRefLabel,
    BrandRefPlaceholder,
    BrandRefHint,
    CreateBrandButton,
    BrandCreated,
    Users,
    // Invitation
    InviteInvalidTitle,
    InviteInvalid,
    InviteTitleExisting,
    InviteTitleNew,
    SetPasswordTitle,
    InviteOffer,
    InviteOfferNoRole,
    SetPasswordOffer,
    DisplayName,
    YourPassword,
    ChoosePassword,
    EnterPasswordToAccept,
    PasswordRule,
    PasswordTooShort,
    AcceptInvitation,
    // Account
    AccountTitle,
    YourDetails,
    StaffRoleLabel,
    YourBrands,
    ChangePassword,
    CurrentPassword,
    NewPassword,
    ConfirmPassword,
    PasswordMismatch,
    ChangePasswordButton,
    PasswordChanged,
    // Not found
    NotFoundTitle,
    NotFoundBody,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let (en, zh) = text(key);
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// `t`, with `{0}`, `{1}`… replaced by `args`.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after
            .find('}')
            .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
        match arg.and_then(|(i, close)| Some((args.get(i)?, close))) {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn text(key: Key) -> (&'static str, &'static str) {
    use Key::*;
    match key {
        ProductName => ("JointForce", "JointForce"),
        Tagline => (
            "JointForce — brands and the marketplace, together against counterfeits.",
            "JointForce — 品牌与平台携手打击假冒商品。",
        ),
        MainNavigation => ("Main navigation", "主导航"),
        NavHome => ("Home", "首页"),
        NavMembers => ("Members", "成员"),
        NavAllBrands => ("All brands", "全部品牌"),
        NavAccount => ("Account", "账户"),
        SwitchBrand => ("Switch brand", "切换品牌"),
        ChooseBrand => ("Choose a brand…", "选择品牌…"),
        SwitchLanguage => ("Switch language", "切换语言"),
        OtherLanguage => ("中文", "English"),
        SignOut => ("Sign out", "退出登录"),
        Loading => ("Loading…", "加载中…"),
        Working => ("Working…", "处理中…"),
        SomethingWrong => ("Something went wrong", "出了点问题"),
        TryAgain => ("Try again", "重试"),
        BackHome => ("Go to the home page", "返回首页"),
        SignInAgain => ("Sign in again", "重新登录"),
        Yes => ("Yes", "是"),
        No => ("No", "否"),
        Cancel => ("Cancel", "取消"),
        You => ("you", "我"),
        Copy => ("Copy", "复制"),
        Copied => ("Copied", "已复制"),
        ExpiresOn => ("Expires {0}.", "有效期至 {0}。"),

        ErrNetwork => (
            "Could not reach JointForce. Check your connection and try again.",
            "无法连接 JointForce，请检查网络后重试。",
        ),
        ErrGeneric => ("Something went wrong. Please try again.", "出了点问题，请重试。"),
        ErrUnauthenticated => ("Please sign in.", "请先登录。"),
        ErrInvalidCredentials => ("Email or password is incorrect.", "邮箱或密码不正确。"),
        ErrTooManyAttempts => (
            "Too many failed sign-in attempts. Please wait a few minutes and try again.",
            "登录失败次数过多，请等待几分钟后再试。",
        ),
        ErrCrossSite => (
            "This request must come from the JointForce site itself.",
            "此请求必须来自 JointForce 网站本身。",
        ),
        ErrNotFound => ("Not found.", "未找到。"),
        ErrTooLarge => ("The request is too large.", "请求内容过大。"),
        ErrInternal => ("Something went wrong on our side. Please try again.", "服务器出错，请重试。"),

        SignInTitle => ("Sign in", "登录"),
        SignInLead => (
            "The portal where brands and the marketplace take down counterfeit listings together.",
            "品牌与平台携手下架假冒商品的门户。",
        ),
        SignInHelp => (
            "New here? Ask your brand's administrator or your account manager for an invitation link.",
            "首次使用？请向贵品牌的管理员或客户经理索取邀请链接。",
        ),
        SignIn => ("Sign in", "登录"),
        SigningIn => ("Signing in…", "正在登录…"),
        GoToSignIn => ("Go to sign-in", "前往登录"),
        Email => ("Email", "邮箱"),
        Password => ("Password", "密码"),

        RoleBrandAdmin => ("Brand admin", "品牌管理员"),
        RoleBrandAgent => ("Brand agent", "品牌专员"),
        RoleBrandViewer => ("Brand viewer", "品牌查看者"),
        StaffOperator => ("Operator", "运营人员"),
        StaffAccountManager => ("Account manager", "客户经理"),
        ApiKeyRead => ("API key (read)", "API 密钥（只读）"),
        ApiKeyReadWrite => ("API key (read and write)", "API 密钥（读写）"),
        BrandUser => ("Brand user", "品牌用户"),
        StatusApplied => ("Applied", "已申请"),
        StatusEnrolled => ("Enrolled", "已加入"),
        StatusSuspended => ("Suspended", "已暂停"),

        NoBrandsTitle => ("Welcome to JointForce", "欢迎使用 JointForce"),
        NoBrandsBody => ("You are not a member of any brand yet.", "您还不是任何品牌的成员。"),
        NoBrandsHint => (
            "When a brand admin invites you, the brand will appear here.",
            "品牌管理员邀请您之后，该品牌会显示在这里。",
        ),

        BrandNotFound => (
            "This brand does not exist, or you do not have access to it.",
            "该品牌不存在，或您无权访问。",
        ),
        Programme => ("Programme", "保护计划"),
        ProgrammeStatus => ("Status", "状态"),
        OfficialShop => ("Official shop on the marketplace", "平台官方店铺"),
        CooperationAgreement => ("Cooperation agreement", "合作协议"),
        AgreementSigned => ("Signed", "已签署"),
        AgreementNone => ("Not signed", "未签署"),
        StatusAppliedExplained => (
            "Your application is being reviewed. Enrolment needs a verified IP right and either an official shop on the marketplace or a signed cooperation agreement.",
            "您的申请正在审核中。加入计划需要至少一项已验证的知识产权，以及平台官方店铺或已签署的合作协议。",
        ),
        StatusEnrolledExplained => (
            "Your brand takes part in the programme: you can report infringing listings and answer listings the marketplace flags.",
            "贵品牌已加入保护计划：可以举报侵权商品，并处理平台标记的可疑商品。",
        ),
        StatusSuspendedExplained => (
            "While suspended, your brand cannot file new reports. Your account manager can tell you how to resume.",
            "暂停期间，贵品牌无法提交新的举报。请联系客户经理了解如何恢复。",
        ),
        SuspendedNoticeTitle => ("This brand is suspended from the programme.", "该品牌已被暂停参与保护计划。"),
        SuspensionReason => ("Reason:", "原因："),
        SuspensionNoReason => ("No reason was recorded.", "未记录原因。"),
        AccountManager => ("Account manager", "客户经理"),
        AccountManagerHelp => (
            "Your contact at the marketplace for enrolment, reviews and appeals.",
            "您在平台方的联系人，负责入驻、审核与申诉事宜。",
        ),
        NoAccountManager => ("No account manager assigned yet.", "尚未分配客户经理。"),
        YourAccess => ("Your access", "您的权限"),
        CanBrandAdmin => (
            "You can file reports, answer flagged listings and appeals, and manage members, API keys, webhooks and IP rights.",
            "您可以提交举报、处理被标记的商品和申诉，并管理成员、API 密钥、Webhook 与知识产权。",
        ),
        CanBrandAgent => (
            "You can file reports, confirm or reject flagged listings, answer appeals, and withdraw or retract cases.",
            "您可以提交举报、确认或驳回被标记的商品、答复申诉，以及撤回或撤销案件。",
        ),
        CanBrandViewer => (
            "You can see this brand's cases and standing, but not change them.",
            "您可以查看该品牌的案件与状态，但不能进行修改。",
        ),
        CanAccountManager => (
            "You look after this brand for the marketplace: review reports, verify IP rights, arbitrate appeals and act for the brand.",
            "您代表平台负责该品牌：审核举报、验证知识产权、仲裁申诉，并可代品牌操作。",
        ),
        CanOperator => (
            "You see every brand and manage the programme: enrolment, suspension and account managers.",
            "您可以查看所有品牌并管理保护计划：入驻、暂停与客户经理分配。",
        ),
        SeeMembers => ("See members", "查看成员"),

        MembersTitle => ("Members", "成员"),
        MembersLead => ("The people who work on this brand in JointForce.", "在 JointForce 中负责该品牌的人员。"),
        MembersLeadAdmin => (
            "Invite the people who work on this brand, and choose what each of them may do.",
            "邀请负责该品牌的人员，并设置每个人的权限。",
        ),
        Role => ("Role", "角色"),
        RoleOf => ("Role of {0}", "{0} 的角色"),
        JoinedOn => ("Joined {0}", "加入于 {0}"),
        Remove => ("Remove", "移除"),
        RemoveConfirm => (
            "Remove {0} from this brand? They lose access at once.",
            "确定将 {0} 从该品牌移除吗？其访问权限将立即失效。",
        ),
        ConfirmRemove => ("Yes, remove", "确认移除"),
        InviteTitle => ("Invite someone", "邀请成员"),
        InviteLead => (
            "You get a one-time link to pass on to them; JointForce sends no email.",
            "您将获得一个一次性链接，请自行转交给对方；JointForce 不会发送邮件。",
        ),
        CreateInviteLink => ("Create invitation link", "生成邀请链接"),
        InviteCreatedFor => ("Invitation link for {0}", "{0} 的邀请链接"),
        InviteLink => ("Invitation link", "邀请链接"),
        InviteLinkExplained => (
            "Pass this link on; it works once. It is shown only now, so copy it before you leave this page.",
            "请转交此链接；它只能使用一次。链接仅在此时显示，离开本页前请先复制。",
        ),
        PendingInvitations => ("Pending invitations", "待接受的邀请"),
        NoPendingInvitations => ("No invitations are waiting to be accepted.", "没有待接受的邀请。"),

        StaffTitle => ("Marketplace desk", "平台工作台"),
        StaffOnly => ("This page is for marketplace staff.", "此页面仅供平台工作人员使用。"),
        StaffLeadOperator => ("Every brand in the programme.", "保护计划中的全部品牌。"),
        StaffLeadManager => ("The brands you look after as account manager.", "您作为客户经理负责的品牌。"),
        Brands => ("Brands", "品牌"),
        NoStaffBrands => ("No brands are assigned to you yet.", "目前尚无分配给您的品牌。"),
        ManagedBy => ("Account manager: {0}", "客户经理：{0}"),
        MemberCount => ("Members: {0}", "成员：{0}"),
        CreateBrand => ("Create a brand", "创建品牌"),
        CreateBrandLead => (
            "A new brand starts as applied; enrol it once its IP rights are verified.",
            "新品牌的初始状态为“已申请”；知识产权验证通过后即可加入计划。",
        ),
        BrandNameLabel => ("Brand name", "品牌名称"),
        BrandRefLabel => ("Marketplace reference", "平台品牌编号"),
        BrandRefPlaceholder => ("BR-EXAMPLE", "BR-EXAMPLE"),
        BrandRefHint => (
            "The marketplace's reference for the brand: 2–40 characters of A–Z, 0–9 and '-'.",
            "平台对该品牌的编号：2–40 个字符，仅限 A–Z、0–9 和“-”。",
        ),
        CreateBrandButton => ("Create brand", "创建品牌"),
        BrandCreated => ("The brand has been created.", "品牌已创建。"),
        Users => ("Users", "用户"),

        InviteInvalidTitle => ("Invitation link", "邀请链接"),
        InviteInvalid => (
            "This link is invalid, expired or already used.",
            "此链接无效、已过期或已被使用。",
        ),
        InviteTitleExisting => ("Accept your invitation", "接受邀请"),
        InviteTitleNew => ("Join JointForce", "加入 JointForce"),
        SetPasswordTitle => ("Set your password", "设置密码"),
        InviteOffer => ("You are invited to join {0} as {1}.", "您受邀以“{1}”身份加入 {0}。"),
        InviteOfferNoRole => ("You are invited to join {0}.", "您受邀加入 {0}。"),
        SetPasswordOffer => (
            "Choose a password to start using your JointForce account.",
            "设置密码后即可开始使用您的 JointForce 账户。",
        ),
        DisplayName => ("Your name", "姓名"),
        YourPassword => ("Your password", "您的密码"),
        ChoosePassword => ("Choose a password", "设置密码"),
        EnterPasswordToAccept => (
            "You already have an account: enter your password to accept.",
            "您已有账户：请输入密码以接受邀请。",
        ),
        PasswordRule => ("At least 10 characters.", "至少 10 个字符。"),
        PasswordTooShort => ("The password must be at least 10 characters long.", "密码长度至少为 10 个字符。"),
        AcceptInvitation => ("Accept invitation", "接受邀请"),

        AccountTitle => ("Your account", "我的账户"),
        YourDetails => ("Your details", "个人信息"),
        StaffRoleLabel => ("Marketplace role", "平台角色"),
        YourBrands => ("Your brands", "我的品牌"),
        ChangePassword => ("Change password", "修改密码"),
        CurrentPassword => ("Current password", "当前密码"),
        NewPassword => ("New password", "新密码"),
        ConfirmPassword => ("Repeat the new password", "再次输入新密码"),
        PasswordMismatch => ("The two new passwords are not the same.", "两次输入的新密码不一致。"),
        ChangePasswordButton => ("Change password", "修改密码"),
        PasswordChanged => ("Your password has been changed.", "您的密码已修改。"),

        NotFoundTitle => ("Page not found", "页面不存在"),
        NotFoundBody => (
            "There is nothing at this address. It may have moved, or the link may be mistyped.",
            "此地址没有内容，可能已被移动，或链接输入有误。",
        ),
    }
}

/// The current language, for views: `tr.t(key)` is reactive when read inside a closure.
#[derive(Clone, Copy)]
pub struct Tr(RwSignal<Lang>);

impl Tr {
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    pub fn t(self, key: Key) -> &'static str {
        t(self.lang(), key)
    }

    /// A template with `{0}`, `{1}`… filled in.
    pub fn f(self, key: Key, args: &[&str]) -> String {
        fill(self.t(key), args)
    }

    // The helpers below give views one shared signal type instead of a new closure type per
    // string: every distinct closure in a view is its own copy of the rendering code in the wasm.

    /// The text of `key`, following the language.
    pub fn s(self, key: Key) -> Signal<&'static str> {
        Signal::derive(move || t(self.lang(), key))
    }

    /// The text of whichever key `pick` chooses, following the language.
    pub fn pick(self, pick: impl Fn() -> Key + Send + Sync + 'static) -> Signal<&'static str> {
        Signal::derive(move || t(self.lang(), pick()))
    }

    /// A template filled with fixed arguments, following the language.
    pub fn fs(self, key: Key, args: Vec<String>) -> Signal<String> {
        Signal::derive(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            fill(t(self.lang(), key), &args)
        })
    }

    /// A template whose one argument is a date (with the time of day if `with_time`).
    pub fn dated(self, key: Key, ms: Millis, with_time: bool) -> Signal<String> {
        Signal::derive(move || {
            let lang = self.lang();
            let when = if with_time {
                fmt::date_time(lang, ms)
            } else {
                fmt::date(lang, ms)
            };
            fill(t(lang, key), &[&when])
        })
    }
}

pub fn use_tr() -> Tr {
    Tr(use_app().lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(fill("Role of {0}", &["Alice"]), "Role of Alice");
        assert_eq!(fill("{1} and {0}", &["a", "b"]), "b and a");
        assert_eq!(fill("{0}!", &["{1}", "x"]), "{1}!");
        assert_eq!(fill("{x} {9}", &["a"]), "{x} {9}");
    }

    #[test]
    fn reads_language_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
