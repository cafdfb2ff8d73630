//! Every string the app shows, in English and Simplified Chinese. `text` is one `match` that
//! answers both languages at once, so no key can miss a translation.

use crate::fmt;
use jf_core::clock::Millis;

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
    ErrInvalidInput,
    ErrUnprocessable,
    ErrConflict,
    ErrOpenCase,
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
    // Cases, reports, rights, queues
    ActRetract,
    ActUpholdAppeal,
    ActRetractOnAppeal,
    ActEscalate,
    ActArbitrateUphold,
    ActArbitrateReinstate,
    ReasonToSeller,
    SellerAppeal,
    NavCases,
    NavConfirm,
    NavReport,
    NavRights,
    ErrFileType,
    ErrForbidden,
    ErrUnreadable,
    All,
    Plain,
    Created,
    CreatedOn,
    ReceivedOn,
    Retry,
    Upload,
    NothingHere,
    Line,
    Problem,
    Seller,
    Score,
    Overdue,
    DueIn,
    OverdueSince,
    DueOn,
    ChooseFile,
    FileTooLarge,
    FileWrongType,
    TooManyFiles,
    NoteRequired,
    ReasonRequired,
    CsUnderReview,
    CsAwaitingBrand,
    CsTakedownRequested,
    CsTakedownFailed,
    CsTakenDown,
    CsAppealed,
    CsInArbitration,
    CsDeclined,
    CsCleared,
    CsExpired,
    CsWithdrawn,
    CsUpheld,
    CsReinstated,
    CsListingGone,
    RcCounterfeit,
    RcTrademarkMisuse,
    RcCopyright,
    RcDesignRight,
    RcPatent,
    RkTrademark,
    RkCopyright,
    RkDesignRight,
    RkPatent,
    RsVerified,
    RsPending,
    RsRejected,
    SgLogoMismatch,
    SgPriceAnomaly,
    SgImageReuse,
    SgNewSeller,
    SgKeywordStuffing,
    SgSellerHistory,
    Origin,
    OriginReport,
    OriginDetection,
    Work,
    FileReport,
    BulkUpload,
    ConfirmQueue,
    CasesByStatus,
    LaneAndStanding,
    Lane,
    LaneAuto,
    LaneReview,
    LaneNone,
    LaneAutoExplained,
    ReviewNoShop,
    ReviewOutOfStanding,
    ReportGoesToReview,
    ReinstatedRate,
    DecidedIn,
    Threshold,
    StandingRule,
    StandingFew,
    RevokedUntil,
    NoUsableRight,
    Search,
    SearchHint,
    CaseStatus,
    Reason,
    FromDate,
    ToDate,
    ApplyFilters,
    ClearFilters,
    ExportCsv,
    NoCases,
    LoadMore,
    CaseNotFound,
    ListingWhenFiled,
    ListingNow,
    SnapshotPending,
    ListingRemoved,
    OpenListing,
    CaseDetails,
    RightInvoked,
    Deadline,
    Statement,
    Evidence,
    Detection,
    Timeline,
    Actions,
    ActConfirm,
    ActReject,
    ActWithdraw,
    ActApprove,
    ActDecline,
    ActRetry,
    NoteOptional,
    WithdrawReason,
    DeclineReason,
    BrandSeesReason,
    EvFiled,
    EvFlagged,
    EvDetection,
    EvApprove,
    EvDecline,
    EvConfirm,
    EvReject,
    EvExpire,
    EvWithdraw,
    EvTakedownCompleted,
    EvTakedownFailed,
    EvRetry,
    EvRetract,
    EvAppealFiled,
    EvNoAppeal,
    EvUpheld,
    EvEscalate,
    EvReinstated,
    EvListingRemoved,
    ReportLead,
    CannotFile,
    ListingField,
    ListingHint,
    ListingRequired,
    StatementCount,
    StatementTooShort,
    EvidenceLinks,
    EvidenceLinksHint,
    EvidenceFiles,
    EvidenceFilesHint,
    GoodFaith,
    GoodFaithRequired,
    OpenExistingCase,
    BulkLead,
    BulkHow,
    BulkTemplateHint,
    DownloadTemplate,
    CsvFile,
    ChooseCsv,
    BulkFiled,
    BulkNothingFiled,
    RightsLead,
    NoRights,
    AddRight,
    AddRightLead,
    RightKind,
    RegistrationNumber,
    Jurisdiction,
    JurisdictionHint,
    Classes,
    ClassesOf,
    Owner,
    ExpiryDate,
    NoExpiry,
    RightAdded,
    Certificate,
    ReviewNote,
    NoteForBrand,
    Verify,
    RejectRight,
    ConfirmLead,
    DecideHeading,
    RejectNote,
    SelectAll,
    SelectCase,
    ConfirmSelected,
    RejectSelected,
    QueueKeys,
    QueueEmpty,
    QueuePolls,
    BatchSummary,
    Confirmed,
    RejectedGenuine,
    DecisionFailed,
    ReviewQueue,
    RightsToVerify,
    RightsToVerifyHint,
    FailedTakedowns,
    ExpiredFlags,
    DeadLetters,
    DeadLettersLead,
    DeadActions,
    DeadActionsLead,
    RawEvent,
    Attempts,
    // Appeals, arbitration, sellers, reminders, integrations
    RetractWarningTitle,
    RetractWarning,
    ReinstateWarning,
    AppealDeadline,
    AppealDeadlineExplained,
    ArbitrationDeadline,
    ArbitrationExplained,
    ArbitrationQueue,
    ArbitrationQueueHint,
    Reminders,
    RemindersCount,
    NoReminders,
    RemindersHint,
    RmAppealDue,
    RmConfirmationDue,
    RmRightExpiring,
    Close,
    SellerNotFound,
    SellerId,
    RepeatInfringer,
    RepeatInfringerSince,
    NotRepeatInfringer,
    RepeatRule,
    SellerCasesBrand,
    SellerCasesAll,
    SeeAllBrandsCases,
    NavApiKeys,
    NavWebhooks,
    BrandSettings,
    AdminOnly,
    BackToBrand,
    ApiKeysLead,
    CreateApiKeyTitle,
    ApiKeyName,
    ApiKeyNameHint,
    ApiKeyAccess,
    ScopeRead,
    ScopeReadWrite,
    CreateKeyButton,
    ApiKeyCreated,
    SecretOnce,
    ApiKeySecret,
    NoKeys,
    LastUsed,
    NeverUsed,
    Active,
    Revoked,
    RevokedOn,
    Revoke,
    RevokeConfirm,
    ConfirmRevoke,
    WebhooksLead,
    AddEndpoint,
    EndpointUrl,
    EndpointUrlHint,
    Events,
    WeCaseCreated,
    WeStatusChanged,
    WeAppealFiled,
    WeDeadline,
    ChooseEvent,
    CreateEndpointButton,
    EndpointCreated,
    SigningSecret,
    VerifyHint,
    NoEndpoints,
    Disabled,
    DisabledOn,
    Disable,
    ShowDeliveries,
    NoDeliveries,
    DsPending,
    DsDelivered,
    DsFailed,
    Redeliver,
    Refresh,
    HttpStatus,
    NextAttempt,
    DeliveredOn,
    NoAttempts,
    // Refusals, the case history's actors and JointForce's own notes, lists
    RefusalNotEnrolled,
    RefusalSuspended,
    RefusalSuspendedBecause,
    ActorMember,
    ActorManagerFor,
    ActorOperatorFor,
    ActorApiKeyOf,
    ActorMarketplace,
    ActorDeadline,
    NoteFiledAuto,
    NoteFiledReview,
    NoteFiledUnreachable,
    NoteListingRemoved,
    NoteDetection,
    NoteTakedownFailed,
    NoteTakedownConfirmed,
    NoteAppealFiled,
    NoteFlagExpired,
    NoteNoAppeal,
    NoteAppealUnanswered,
    NoteListingUnknown,
    ListSeparator,
    RowUnknownRight,
    RowRightNotVerified,
    RowRightExpired,
    RowDuplicateListing,
    RowOpenCase,
    RowInvalid,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let (en, zh) = text(key);
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// One piece of a template: words of the interface, or the place of argument `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Arg(usize),
}

/// A template cut at its `{0}`, `{1}`… (what is not a placeholder stays text), for views that
/// put each argument in its own element.
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut text_start = 0;
    let mut at = 0;
    while let Some(open) = rest[at..].find('{').map(|i| at + i) {
        let after = &rest[open + 1..];
        let arg = after
            .find('}')
            .and_then(|close| Some((after[..close].parse::<usize>().ok()?, close)));
        match arg {
            Some((n, close)) => {
                if open > text_start {
                    out.push(Piece::Text(&rest[text_start..open]));
                }
                out.push(Piece::Arg(n));
                rest = &after[close + 1..];
                text_start = 0;
                at = 0;
            }
            None => at = open + 1,
        }
    }
    if rest.len() > text_start {
        out.push(Piece::Text(&rest[text_start..]));
    }
    out
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
        ErrInvalidInput => (
            "Something you entered is not valid; please check it.",
            "输入的内容有误，请检查后重试。",
        ),
        ErrUnprocessable => (
            "This cannot be done with what was sent; please check it.",
            "无法按所提交的内容处理，请检查后重试。",
        ),
        ErrConflict => (
            "This clashes with the current state; refresh and try again.",
            "与当前状态冲突，请刷新后重试。",
        ),
        ErrOpenCase => ("This listing already has an open case.", "该商品已有未结案件。"),
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

        NavCases => ("Cases", "案件"),
        NavConfirm => ("Confirm", "待确认"),
        NavReport => ("Report", "举报"),
        NavRights => ("IP rights", "知识产权"),
        ErrFileType => ("This kind of file is not accepted.", "不接受此类型的文件。"),
        ErrForbidden => ("Your role does not allow this.", "您的角色无权执行此操作。"),
        ErrUnreadable => ("The file could not be read.", "无法读取该文件。"),
        All => ("All", "全部"),
        Plain => ("{0}", "{0}"),
        Created => ("Created", "创建时间"),
        CreatedOn => ("Created {0}", "创建于 {0}"),
        ReceivedOn => ("Received {0}", "接收于 {0}"),
        Retry => ("Retry", "重试"),
        Upload => ("Upload", "上传"),
        NothingHere => ("Nothing here.", "暂无内容。"),
        Line => ("Line", "行号"),
        Problem => ("Problem", "问题"),
        Seller => ("Seller", "卖家"),
        Score => ("Score", "评分"),
        Overdue => ("Overdue", "已逾期"),
        DueIn => ("Due {0}", "{0}截止"),
        OverdueSince => ("Overdue (due {0})", "已逾期（{0}截止）"),
        DueOn => ("Due {0}", "截止时间 {0}"),
        ChooseFile => ("Choose a file first.", "请先选择文件。"),
        FileTooLarge => ("{0} is larger than 5 MB.", "{0} 超过 5 MB。"),
        FileWrongType => ("{0} is not a PNG, JPEG, WebP or PDF file.", "{0} 不是 PNG、JPEG、WebP 或 PDF 文件。"),
        TooManyFiles => ("At most {0} files.", "最多 {0} 个文件。"),
        NoteRequired => ("Write a note the brand will see.", "请填写品牌可见的说明。"),
        ReasonRequired => ("Give a reason.", "请填写原因。"),
        CsUnderReview => ("Under review", "审核中"),
        CsAwaitingBrand => ("Awaiting brand", "待品牌确认"),
        CsTakedownRequested => ("Takedown requested", "已请求下架"),
        CsTakedownFailed => ("Takedown failed", "下架失败"),
        CsTakenDown => ("Taken down", "已下架"),
        CsAppealed => ("Appealed", "申诉中"),
        CsInArbitration => ("In arbitration", "仲裁中"),
        CsDeclined => ("Declined", "未获批准"),
        CsCleared => ("Cleared as genuine", "已认定为正品"),
        CsExpired => ("Expired", "已过期"),
        CsWithdrawn => ("Withdrawn", "已撤回"),
        CsUpheld => ("Upheld", "维持下架"),
        CsReinstated => ("Reinstated", "已恢复上架"),
        CsListingGone => ("Listing gone", "商品已删除"),
        RcCounterfeit => ("Counterfeit", "假冒商品"),
        RcTrademarkMisuse => ("Trademark misuse", "商标滥用"),
        RcCopyright => ("Copyright infringement", "侵犯著作权"),
        RcDesignRight => ("Design right infringement", "侵犯外观设计"),
        RcPatent => ("Patent infringement", "侵犯专利"),
        RkTrademark => ("Trademark", "商标"),
        RkCopyright => ("Copyright", "著作权"),
        RkDesignRight => ("Design right", "外观设计"),
        RkPatent => ("Patent", "专利"),
        RsVerified => ("Verified", "已验证"),
        RsPending => ("Pending verification", "待验证"),
        RsRejected => ("Rejected", "已拒绝"),
        SgLogoMismatch => ("Logo mismatch", "标识不符"),
        SgPriceAnomaly => ("Price anomaly", "价格异常"),
        SgImageReuse => ("Reused images", "图片盗用"),
        SgNewSeller => ("New seller", "新卖家"),
        SgKeywordStuffing => ("Keyword stuffing", "关键词堆砌"),
        SgSellerHistory => ("Seller history", "卖家前科"),
        Origin => ("Origin", "来源"),
        OriginReport => ("Brand report", "品牌举报"),
        OriginDetection => ("Marketplace detection", "平台检测"),
        Work => ("Work", "工作"),
        FileReport => ("File a report", "提交举报"),
        BulkUpload => ("Bulk upload", "批量举报"),
        ConfirmQueue => ("Confirmation queue", "确认队列"),
        CasesByStatus => ("Cases by status", "各状态案件"),
        LaneAndStanding => ("Lane and good standing", "处理通道与信誉"),
        Lane => ("Lane", "处理通道"),
        LaneAuto => ("Auto lane", "自动通道"),
        LaneReview => ("Review lane", "审核通道"),
        LaneNone => ("Your brand may not file reports now.", "贵品牌目前无法提交举报。"),
        LaneAutoExplained => ("Your reports are taken down at once, without marketplace review.", "您的举报将立即下架，无需平台审核。"),
        ReviewNoShop => ("Reports go to your account manager for review first, because your brand has no official shop on the marketplace (cooperation agreement only).", "举报会先交由客户经理审核，因为贵品牌在平台上没有官方店铺（仅有合作协议）。"),
        ReviewOutOfStanding => ("Reports go to your account manager for review first, because more than {0}% of your decided takedowns were reinstated.", "举报会先交由客户经理审核，因为已判定的下架中超过 {0}% 被恢复上架。"),
        ReportGoesToReview => ("Your report will go to your account manager for review first (usually within 2 days).", "您的举报将先交由客户经理审核（通常在 2 天内）。"),
        ReinstatedRate => ("Reinstated rate", "恢复上架率"),
        DecidedIn => ("Decided takedowns (last {0} days)", "已判定下架（近 {0} 天）"),
        Threshold => ("Threshold", "阈值"),
        StandingRule => ("Once at least {0} takedowns are decided within {1} days, more than {2}% reinstated pauses the auto lane for {3} days; it is then checked again.", "若 {1} 天内已判定的下架不少于 {0} 件且恢复上架率超过 {2}%，自动通道将暂停 {3} 天，期满后重新评估。"),
        StandingFew => ("Fewer than {0} decided takedowns: the rate does not count yet.", "已判定下架少于 {0} 件，恢复上架率暂不计入。"),
        RevokedUntil => ("The auto lane returns on {0}.", "自动通道将于 {0} 恢复。"),
        NoUsableRight => ("No verified, unexpired IP right: reports and confirmations need one.", "没有已验证且在有效期内的知识产权，举报和确认都需要至少一项。"),
        Search => ("Search", "搜索"),
        SearchHint => ("Title, seller or listing id", "标题、卖家或商品编号"),
        CaseStatus => ("Status", "状态"),
        Reason => ("Reason", "理由"),
        FromDate => ("From", "起始日期"),
        ToDate => ("To", "截止日期"),
        ApplyFilters => ("Filter", "筛选"),
        ClearFilters => ("Clear", "清除"),
        ExportCsv => ("Export CSV", "导出 CSV"),
        NoCases => ("No cases match these filters.", "没有符合筛选条件的案件。"),
        LoadMore => ("Load more", "加载更多"),
        CaseNotFound => ("This case does not exist, or you do not have access to it.", "该案件不存在，或您无权访问。"),
        ListingWhenFiled => ("The listing when filed", "提交时的商品"),
        ListingNow => ("The listing now", "商品当前状态"),
        SnapshotPending => ("The marketplace has not sent this listing's details yet.", "平台尚未返回该商品的详情。"),
        ListingRemoved => ("The seller has removed this listing from the marketplace.", "卖家已从平台删除该商品。"),
        OpenListing => ("Open the listing", "打开商品页面"),
        CaseDetails => ("Case", "案件信息"),
        RightInvoked => ("Right invoked", "所依据的权利"),
        Deadline => ("Deadline", "截止时间"),
        Statement => ("Statement", "陈述"),
        Evidence => ("Evidence", "证据"),
        Detection => ("Detection", "平台检测"),
        Timeline => ("Timeline", "处理记录"),
        Actions => ("What you can do", "可执行的操作"),
        ActConfirm => ("Confirm infringement", "确认侵权"),
        ActReject => ("Reject as genuine", "认定为正品"),
        ActWithdraw => ("Withdraw", "撤回"),
        ActApprove => ("Approve", "批准"),
        ActDecline => ("Decline", "驳回"),
        ActRetry => ("Retry takedown", "重试下架"),
        NoteOptional => ("Note (optional)", "备注（可选）"),
        WithdrawReason => ("Why withdraw?", "撤回原因"),
        DeclineReason => ("Reason for declining", "驳回原因"),
        BrandSeesReason => ("The brand sees this reason.", "品牌会看到此原因。"),
        EvFiled => ("Report filed", "提交举报"),
        EvFlagged => ("Flagged by the marketplace", "平台标记"),
        EvDetection => ("Flagged again", "再次标记"),
        EvApprove => ("Approved", "已批准"),
        EvDecline => ("Declined", "已驳回"),
        EvConfirm => ("Confirmed by the brand", "品牌确认侵权"),
        EvReject => ("Rejected as genuine", "认定为正品"),
        EvExpire => ("No answer in time", "未在期限内答复"),
        EvWithdraw => ("Withdrawn", "已撤回"),
        EvTakedownCompleted => ("Taken down", "已下架"),
        EvTakedownFailed => ("Takedown failed", "下架失败"),
        EvRetry => ("Takedown retried", "重试下架"),
        EvRetract => ("Retracted", "已撤销"),
        EvAppealFiled => ("Seller appealed", "卖家申诉"),
        EvNoAppeal => ("No appeal", "无申诉"),
        EvUpheld => ("Takedown upheld", "维持下架"),
        EvEscalate => ("Sent to arbitration", "提交仲裁"),
        EvReinstated => ("Reinstated", "已恢复上架"),
        EvListingRemoved => ("Listing removed", "商品已删除"),
        ReportLead => ("Report a listing that infringes one of your verified IP rights.", "举报侵犯贵品牌已验证知识产权的商品。"),
        CannotFile => ("Your role cannot file reports for this brand.", "您的角色无法为该品牌提交举报。"),
        ListingField => ("Listing link or id", "商品链接或编号"),
        ListingHint => ("Paste the marketplace link of the listing, or its listing id.", "粘贴商品的平台链接或商品编号。"),
        ListingRequired => ("Enter the listing's link or id.", "请输入商品链接或编号。"),
        StatementCount => ("{0} characters (at least {1})", "已输入 {0} 个字符（至少 {1} 个）"),
        StatementTooShort => ("The statement needs at least {0} characters.", "陈述至少需要 {0} 个字符。"),
        EvidenceLinks => ("Evidence links", "证据链接"),
        EvidenceLinksHint => ("One link per line.", "每行一个链接。"),
        EvidenceFiles => ("Evidence files", "证据文件"),
        EvidenceFilesHint => ("Up to 5 files: PNG, JPEG, WebP or PDF, 5 MB each.", "最多 5 个文件：PNG、JPEG、WebP 或 PDF，每个不超过 5 MB。"),
        GoodFaith => ("I declare in good faith that this listing infringes the right named above and that this report is accurate.", "本人善意声明：该商品侵犯上述权利，且本举报内容真实准确。"),
        GoodFaithRequired => ("Tick the good-faith declaration to file.", "请勾选善意声明后再提交。"),
        OpenExistingCase => ("Open the existing case", "打开已有案件"),
        BulkLead => ("File up to 1,000 reports from one CSV file: all are filed, or none.", "通过一个 CSV 文件提交最多 1,000 条举报：全部提交或全部不提交。"),
        BulkHow => ("Upload a CSV file", "上传 CSV 文件"),
        BulkTemplateHint => ("Start from the template: one listing per row, with the right, the reason, the statement and evidence links. Every row is checked before anything is filed.", "请使用模板：每行一个商品，填写权利、理由、陈述和证据链接。提交前会检查每一行。"),
        DownloadTemplate => ("Download the template", "下载模板"),
        CsvFile => ("CSV file", "CSV 文件"),
        ChooseCsv => ("Choose a CSV file first.", "请先选择 CSV 文件。"),
        BulkFiled => ("{0} reports filed", "已提交 {0} 条举报"),
        BulkNothingFiled => ("Nothing was filed: {0} rows have problems", "未提交任何举报：{0} 行有问题"),
        RightsLead => ("Reports and confirmations invoke these rights; the marketplace verifies each one.", "举报与确认均依据这些权利；每项权利都需经平台验证。"),
        NoRights => ("No IP rights recorded yet.", "尚未登记知识产权。"),
        AddRight => ("Add a right", "添加权利"),
        AddRightLead => ("A new right waits for the marketplace to verify it; attach its certificate to speed this up.", "新权利需等待平台验证；上传证书可加快审核。"),
        RightKind => ("Kind", "类型"),
        RegistrationNumber => ("Registration number", "注册号"),
        Jurisdiction => ("Jurisdiction", "法域"),
        JurisdictionHint => ("e.g. EU, CN, US", "例如 EU、CN、US"),
        Classes => ("Classes", "类别"),
        ClassesOf => ("Classes {0}", "类别 {0}"),
        Owner => ("Owner", "权利人"),
        ExpiryDate => ("Expiry date", "到期日"),
        NoExpiry => ("No expiry date", "无到期日"),
        RightAdded => ("The right was added; it awaits verification.", "权利已添加，等待验证。"),
        Certificate => ("Certificate", "证书"),
        ReviewNote => ("Note:", "说明："),
        NoteForBrand => ("Note the brand sees", "品牌可见的说明"),
        Verify => ("Verify", "验证通过"),
        RejectRight => ("Reject", "拒绝"),
        ConfirmLead => ("Listings the marketplace's detection flagged for your brand. Confirm those that infringe; reject the genuine ones.", "平台检测为贵品牌标记的可疑商品。请确认侵权商品，并将正品标记为正品。"),
        DecideHeading => ("Decide", "处理"),
        RejectNote => ("Note for rejections (optional)", "认定正品的备注（可选）"),
        SelectAll => ("Select all", "全选"),
        SelectCase => ("Select", "选择"),
        ConfirmSelected => ("Confirm selected ({0})", "确认所选（{0}）"),
        RejectSelected => ("Reject selected ({0})", "所选认定为正品（{0}）"),
        QueueKeys => ("Keys: j / k move between cards, c confirms, r rejects as genuine.", "快捷键：j / k 切换卡片，c 确认侵权，r 认定为正品。"),
        QueueEmpty => ("Nothing is waiting for your confirmation.", "没有待确认的商品。"),
        QueuePolls => ("New flags appear here on their own (checked every 15 seconds).", "新标记的商品会自动显示（每 15 秒检查一次）。"),
        BatchSummary => ("{0} done, {1} failed", "完成 {0} 件，失败 {1} 件"),
        Confirmed => ("Confirmed", "已确认"),
        RejectedGenuine => ("Rejected as genuine", "已认定为正品"),
        DecisionFailed => ("Failed", "失败"),
        ReviewQueue => ("Reports under review", "待审核举报"),
        RightsToVerify => ("IP rights awaiting verification", "待验证的知识产权"),
        RightsToVerifyHint => ("Rejecting needs a note: the brand sees it.", "拒绝时须填写说明，品牌会看到。"),
        FailedTakedowns => ("Failed takedowns", "下架失败"),
        ExpiredFlags => ("Expired flags", "已过期的标记"),
        DeadLetters => ("Dead letters", "死信"),
        DeadLettersLead => ("Marketplace events that could not be applied.", "无法处理的平台事件。"),
        DeadActions => ("Dead actions", "失败的动作"),
        DeadActionsLead => ("Messages the marketplace never accepted after 10 tries.", "重试 10 次后平台仍未接受的消息。"),
        RawEvent => ("Event body", "事件内容"),
        Attempts => ("Attempts: {0}", "尝试次数：{0}"),
        ActRetract => ("Retract takedown", "撤销下架"),
        ActUpholdAppeal => ("Uphold the takedown", "维持下架"),
        ActRetractOnAppeal => ("Accept the appeal", "接受申诉"),
        ActEscalate => ("Ask the account manager to arbitrate", "提交客户经理仲裁"),
        ActArbitrateUphold => ("Uphold the takedown", "裁定维持下架"),
        ActArbitrateReinstate => ("Reinstate the listing", "裁定恢复上架"),
        ReasonToSeller => ("Reason (the seller is told)", "理由（将告知卖家）"),
        SellerAppeal => ("The seller's appeal", "卖家申诉"),

        RetractWarningTitle => ("Before you retract", "撤销前请注意"),
        RetractWarning => (
            "This brings the listing back on the marketplace at once, and counts against the brand's accuracy: it is recorded as a reinstatement in the brand's good-standing rate. Once at least {1} takedowns are decided within {2} days, more than {0}% reinstated pauses the auto lane for {3} days.",
            "此操作会让该商品立即在平台恢复上架，并影响该品牌的准确率：它将计为该品牌信誉统计中的一次恢复上架。若 {2} 天内已判定的下架不少于 {1} 件且恢复上架率超过 {0}%，自动通道将暂停 {3} 天。",
        ),
        ReinstateWarning => (
            "Reinstating brings the listing back on the marketplace, and counts as a reinstatement in the brand's good-standing rate.",
            "恢复上架后，该商品将重新在平台上架，并计为该品牌信誉统计中的一次恢复上架。",
        ),
        AppealDeadline => ("Deadline to answer the appeal", "申诉答复截止时间"),
        AppealDeadlineExplained => (
            "Without an answer by then, the listing is reinstated automatically, and that counts against the brand's accuracy.",
            "若届时仍未答复，该商品将自动恢复上架，并计入品牌的恢复上架率。",
        ),
        ArbitrationDeadline => ("Arbitration due", "仲裁截止时间"),
        ArbitrationExplained => (
            "The brand escalated this appeal: the account manager decides within 5 days.",
            "品牌已将该申诉提交仲裁：客户经理将在 5 天内作出裁定。",
        ),
        ArbitrationQueue => ("Appeals in arbitration", "仲裁中的申诉"),
        ArbitrationQueueHint => (
            "Appeals the brands escalated: decide each within 5 days; later ones are marked overdue.",
            "品牌提交仲裁的申诉：请在 5 天内逐一裁定，逾期的会被标记。",
        ),
        Reminders => ("Reminders", "提醒"),
        RemindersCount => ("Reminders: {0}", "提醒：{0} 条"),
        NoReminders => ("Nothing is due soon.", "近期没有到期事项。"),
        RemindersHint => (
            "Appeals due within 24 hours, flags to confirm within 48 hours, IP rights expiring within 30 days. Checked every minute.",
            "24 小时内到期的申诉、48 小时内需确认的标记、30 天内到期的知识产权。每分钟检查一次。",
        ),
        RmAppealDue => ("Appeal to answer", "待答复的申诉"),
        RmConfirmationDue => ("Flag to confirm", "待确认的标记"),
        RmRightExpiring => ("IP right expiring", "知识产权即将到期"),
        Close => ("Close", "关闭"),
        SellerNotFound => (
            "This seller does not exist, or there is no case against them that you may see.",
            "该卖家不存在，或没有您可查看的针对该卖家的案件。",
        ),
        SellerId => ("Seller id", "卖家编号"),
        RepeatInfringer => ("Repeat infringer", "重复侵权卖家"),
        RepeatInfringerSince => ("Flagged as a repeat infringer on {0}.", "于 {0} 被标记为重复侵权卖家。"),
        NotRepeatInfringer => ("Not flagged as a repeat infringer.", "未被标记为重复侵权卖家。"),
        RepeatRule => (
            "A seller is flagged once {0} or more takedowns against them are upheld within {1} days, across all brands.",
            "若 {1} 天内针对某卖家的维持下架案件达到 {0} 件或以上（跨所有品牌），该卖家将被标记。",
        ),
        SellerCasesBrand => ("Your brand's cases against this seller", "贵品牌针对该卖家的案件"),
        SellerCasesAll => ("Every brand's cases against this seller", "所有品牌针对该卖家的案件"),
        SeeAllBrandsCases => ("See every brand's cases", "查看所有品牌的案件"),
        NavApiKeys => ("API keys", "API 密钥"),
        NavWebhooks => ("Webhooks", "Webhook"),
        BrandSettings => ("Brand settings", "品牌设置"),
        AdminOnly => (
            "Only the brand's admins can manage API keys and webhooks.",
            "仅品牌管理员可以管理 API 密钥和 Webhook。",
        ),
        BackToBrand => ("Back to the brand", "返回品牌首页"),
        ApiKeysLead => (
            "Keys let your own systems use the JointForce API for this brand: read only, or read and write (what a brand agent may do).",
            "API 密钥让贵方系统代表该品牌调用 JointForce API：只读，或读写（与品牌专员权限相同）。",
        ),
        CreateApiKeyTitle => ("Create an API key", "创建 API 密钥"),
        ApiKeyName => ("Name", "名称"),
        ApiKeyNameHint => ("What the key is for, e.g. \"ERP sync\".", "密钥的用途，例如“ERP 同步”。"),
        ApiKeyAccess => ("Access", "权限"),
        ScopeRead => ("Read only", "只读"),
        ScopeReadWrite => ("Read and write", "读写"),
        CreateKeyButton => ("Create key", "创建密钥"),
        ApiKeyCreated => ("API key \"{0}\" created", "已创建 API 密钥“{0}”"),
        SecretOnce => ("Copy it now: it will not be shown again.", "请立即复制：它不会再次显示。"),
        ApiKeySecret => ("Secret key", "密钥"),
        NoKeys => ("No API keys yet.", "尚无 API 密钥。"),
        LastUsed => ("Last used {0}", "最近使用于 {0}"),
        NeverUsed => ("Never used", "从未使用"),
        Active => ("Active", "有效"),
        Revoked => ("Revoked", "已撤销"),
        RevokedOn => ("Revoked {0}", "撤销于 {0}"),
        Revoke => ("Revoke", "撤销"),
        RevokeConfirm => (
            "Revoke \"{0}\"? Systems using it lose access at once; this cannot be undone.",
            "确定撤销“{0}”吗？使用该密钥的系统将立即失去访问权限，且无法恢复。",
        ),
        ConfirmRevoke => ("Yes, revoke", "确认撤销"),
        WebhooksLead => (
            "JointForce sends this brand's case events to your endpoints, signed, and retries failures; every delivery is logged here.",
            "JointForce 会将该品牌的案件事件签名后发送到您的端点，失败时自动重试；每次投递都记录在此。",
        ),
        AddEndpoint => ("Add an endpoint", "添加端点"),
        EndpointUrl => ("Endpoint URL", "端点 URL"),
        EndpointUrlHint => (
            "{0} only; private, loopback and link-local addresses are refused.",
            "仅限 {0}；不接受私有、回环或链路本地地址。",
        ),
        Events => ("Events", "事件"),
        WeCaseCreated => ("A case is created", "案件创建"),
        WeStatusChanged => ("A case changes status", "案件状态变更"),
        WeAppealFiled => ("A seller appeals", "卖家提出申诉"),
        WeDeadline => ("A deadline is near (within a day)", "截止时间临近（一天内）"),
        ChooseEvent => ("Choose at least one event.", "请至少选择一个事件。"),
        CreateEndpointButton => ("Add endpoint", "添加端点"),
        EndpointCreated => ("Endpoint added: {0}", "已添加端点：{0}"),
        SigningSecret => ("Signing secret", "签名密钥"),
        VerifyHint => (
            "Verify every request as {0} specifies: {1} is \"{2}\" and the {3}, with this secret, of \"{4}\".",
            "请按 {0} 规范校验每个请求：{1} 为“{2}”加上用此密钥对“{4}”计算的 {3}。",
        ),
        NoEndpoints => ("No endpoints yet.", "尚无端点。"),
        Disabled => ("Disabled", "已停用"),
        DisabledOn => ("Disabled {0}", "停用于 {0}"),
        Disable => ("Disable", "停用"),
        ShowDeliveries => ("Delivery log", "投递记录"),
        NoDeliveries => ("Nothing has been sent to this endpoint yet.", "尚未向该端点发送任何事件。"),
        DsPending => ("Pending", "待发送"),
        DsDelivered => ("Delivered", "已送达"),
        DsFailed => ("Failed", "失败"),
        Redeliver => ("Send again", "重新发送"),
        Refresh => ("Refresh", "刷新"),
        HttpStatus => ("HTTP {0}", "HTTP {0}"),
        NextAttempt => ("Next try {0}", "下次重试：{0}"),
        DeliveredOn => ("Delivered {0}", "送达于 {0}"),
        NoAttempts => ("Not tried yet.", "尚未尝试。"),

        RefusalNotEnrolled => (
            "Your brand is not enrolled in the programme yet: reports open once an IP right is verified and an official shop or a cooperation agreement is recorded.",
            "贵品牌尚未加入保护计划：须有一项知识产权通过验证，并登记平台官方店铺或合作协议，之后即可提交举报。",
        ),
        RefusalSuspended => ("Your brand's programme membership is suspended.", "贵品牌的保护计划资格已被暂停。"),
        RefusalSuspendedBecause => (
            "Your brand's programme membership is suspended: {0}",
            "贵品牌的保护计划资格已被暂停：{0}",
        ),
        ActorMember => ("{0} ({1})", "{0}（{1}）"),
        ActorManagerFor => ("{0} (account manager) for {1}", "{0}（客户经理，代表 {1}）"),
        ActorOperatorFor => ("{0} (operator) for {1}", "{0}（运营人员，代表 {1}）"),
        ActorApiKeyOf => ("API key of {0}", "{0} 的 API 密钥"),
        ActorMarketplace => ("Marketplace", "平台"),
        ActorDeadline => ("JointForce (deadline)", "JointForce（期限规则）"),
        NoteFiledAuto => (
            "Filed in the auto lane: takedown requested at once.",
            "经自动通道提交：已立即请求下架。",
        ),
        NoteFiledReview => (
            "Filed in the review lane: the account manager decides.",
            "经审核通道提交：由客户经理决定。",
        ),
        NoteFiledUnreachable => (
            "Filed while the marketplace was unreachable: listing details will follow.",
            "提交时无法连接平台：商品详情稍后补充。",
        ),
        NoteListingRemoved => (
            "The listing was removed on the marketplace ({0}).",
            "该商品已在平台上被删除（{0}）。",
        ),
        NoteDetection => (
            "Flagged by the marketplace's detection (score {0}: {1}).",
            "平台检测标记（评分 {0}：{1}）。",
        ),
        NoteTakedownFailed => (
            "The marketplace could not take the listing down: {0}",
            "平台未能下架该商品：{0}",
        ),
        NoteTakedownConfirmed => ("The marketplace confirmed the takedown.", "平台已确认下架。"),
        NoteAppealFiled => ("Seller {0} appealed: {1}", "卖家 {0} 提出申诉：{1}"),
        NoteFlagExpired => (
            "The brand did not answer within 7 days; the flag expired.",
            "品牌未在 7 天内答复，标记已过期。",
        ),
        NoteNoAppeal => (
            "No appeal within 14 days: the takedown is upheld.",
            "14 天内无人申诉：维持下架。",
        ),
        NoteAppealUnanswered => (
            "The brand did not answer the appeal within 3 days: the listing is reinstated.",
            "品牌未在 3 天内答复申诉：商品已恢复上架。",
        ),
        NoteListingUnknown => ("The marketplace does not know this listing.", "平台上没有这件商品。"),
        ListSeparator => (", ", "、"),
        RowUnknownRight => (
            "{1}: {0} is not one of your brand's rights",
            "{1} 列：{0} 不是贵品牌的知识产权。",
        ),
        RowRightNotVerified => ("{1}: {0} is not verified", "{1} 列：{0} 尚未通过验证。"),
        RowRightExpired => ("{1}: {0} has expired", "{1} 列：{0} 已过期。"),
        RowDuplicateListing => ("listing {0} is already on line {1}", "商品 {0} 已在第 {1} 行出现。"),
        RowOpenCase => ("listing {0} already has an open case: {1}", "商品 {0} 已有未结案件：{1}"),
        // In English the field's own check says what is wrong; the Chinese names the field.
        RowInvalid => ("{0}: {1}", "{2} 列的内容无效。"),
    }
}

thread_local! {
    /// The interface language. Changing it re-renders the page (see `state::set_lang`), so
    /// views read it once, when they are built.
    static LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// The interface language now.
pub fn lang() -> Lang {
    LANG.with(std::cell::Cell::get)
}

pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

/// The text of `key` in the interface language.
pub fn tr(key: Key) -> &'static str {
    t(lang(), key)
}

/// A template of the interface language with `{0}`, `{1}`… filled in.
pub fn trf(key: Key, args: &[&str]) -> String {
    fill(tr(key), args)
}

/// A template whose one argument is a date (with the time of day if `with_time`).
pub fn dated(key: Key, ms: Millis, with_time: bool) -> String {
    let when = if with_time {
        fmt::date_time(lang(), ms)
    } else {
        fmt::date(lang(), ms)
    };
    trf(key, &[&when])
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
    fn cuts_templates_at_placeholders() {
        use Piece::*;
        assert_eq!(pieces("Role of {0}"), vec![Text("Role of "), Arg(0)]);
        assert_eq!(
            pieces("您受邀以“{1}”身份加入 {0}。"),
            vec![
                Text("您受邀以“"),
                Arg(1),
                Text("”身份加入 "),
                Arg(0),
                Text("。")
            ]
        );
        assert_eq!(pieces("{x} {0}"), vec![Text("{x} "), Arg(0)]);
        assert_eq!(pieces("plain"), vec![Text("plain")]);
    }

    #[test]
    fn reads_language_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
