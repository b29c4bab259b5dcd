"""The Persian demo: the ``demo-fa`` organization (user demo-fa / password demo), in Tehran's
time zone and in Persian, with Nila Giah (skincare) and Mehalood Tea, both selling in Iranian
rials, and Iranian creators. Every brand, creator and company here is invented.

Handles, e-mails, promo codes and campaign slugs are in Latin letters, as they are on the
platforms; names, bios, campaigns, captions, costs and comments are in Persian. Amounts are in
rials (IRR), at roughly a million rials to the US dollar."""

from __future__ import annotations

from decimal import Decimal

from campaigns.models import CampaignStatus, CostCategory, KpiTarget, PartnershipStatus
from campaigns.models import FunnelStage as F
from influencers.models import Platform as P
from metrics.demo.spec import (
    BrandSpec,
    BriefPlan,
    CampaignSpec,
    CostRow,
    Creator,
    CreatorLogin,
    Deal,
    DeliverablePlan,
    DemoSpec,
    DraftStep,
    TargetRow,
)

S = PartnershipStatus
M = KpiTarget.Metric
MARYAM, ARASH, NEGAR, SINA = "مریم رضایی", "آرش کریمی", "نگار احمدی", "سینا مرادی"
ELHAM, KEYVAN, SHIRIN, AMIR = "الهام نوری", "کیوان صادقی", "شیرین تهرانی", "امیر حسینی"
TARANEH, BAHRAM, LEILA, REZA = "ترانه شریفی", "بهرام نیک‌نام", "لیلا جعفری", "رضا پاکزاد"


def _creator(name: str, latin: str, country: str, tags: list[str],
             accounts: list[tuple[str, str, int]], bio: str) -> Creator:
    """``latin``: the name as the creator writes it in an e-mail address (first.last)."""
    return Creator(name, country, tags, accounts, f"{latin}@creators.example",
                   latin.split(".")[0].upper(), bio)


CREATORS = (
    _creator(MARYAM, "maryam.rezaei", "IR", ["مراقبت پوست", "زیبایی"],
             [(P.INSTAGRAM, "maryam.glow", 185_400), (P.YOUTUBE, "MaryamRezaeiSkin", 42_300)],
             "روتین‌های ساده‌ی مراقبت از پوست با مواد گیاهی؛ از تهران."),
    _creator(ARASH, "arash.karimi", "IR", ["طبیعت‌گردی", "کوهنوردی"],
             [(P.YOUTUBE, "ArashDarTabiat", 96_500), (P.INSTAGRAM, "arash.karimi.trek", 58_200)],
             "طبیعت‌گردی در شمال ایران، همیشه با یک فلاسک چای."),
    _creator(NEGAR, "negar.ahmadi", "IR", ["مراقبت پوست", "سلامت"],
             [(P.INSTAGRAM, "dr.negar.skin", 132_400)],
             "داروساز؛ ریویوی صادقانه‌ی محصولات مراقبت از پوست."),
    _creator(SINA, "sina.moradi", "IR", ["سبک زندگی", "طنز"],
             [(P.INSTAGRAM, "sina.moradi.fun", 640_000)],
             "ویدیوهای طنز کوتاه از زندگی روزمره؛ هر شب یک ریلز تازه."),
    _creator(ELHAM, "elham.nouri", "IR", ["زیبایی", "آرایش"],
             [(P.INSTAGRAM, "elham.makeup", 38_900), (P.YOUTUBE, "ElhamMakeup", 12_400)],
             "آموزش آرایش روزانه و معرفی محصولات مقرون‌به‌صرفه."),
    _creator(KEYVAN, "keyvan.sadeghi", "IR", ["آشپزی", "دمنوش"],
             [(P.YOUTUBE, "KeyvanCooks", 118_000)],
             "آشپزی ایرانی و دمنوش‌های خانگی با دستورهای ساده."),
    _creator(SHIRIN, "shirin.tehrani", "DE", ["سفر", "کافه‌گردی"],
             [(P.INSTAGRAM, "shirin.safar", 71_200), (P.YOUTUBE, "ShirinSafar", 19_800)],
             "سفرنامه و کافه‌گردی، از برلین تا رشت."),
    _creator(AMIR, "amir.hosseini", "IR", ["مراقبت پوست", "آقایان"],
             [(P.INSTAGRAM, "amir.skincare", 16_700)],
             "مراقبت از پوست برای آقایان، کوتاه و بی‌تعارف."),
    _creator(TARANEH, "taraneh.sharifi", "IR", ["زیبایی", "لوکس"],
             [(P.INSTAGRAM, "taraneh.sharifi", 245_000)],
             "زیبایی و سبک زندگی؛ فقط برندهایی را معرفی می‌کنم که خودم استفاده می‌کنم."),
    _creator(BAHRAM, "bahram.niknam", "IR", ["کوهنوردی", "سنگ‌نوردی"],
             [(P.YOUTUBE, "BahramClimbs", 64_000), (P.X, "bahramniknam", 14_100)],
             "گزارش صعود از البرز و زاگرس."),
    _creator(LEILA, "leila.jafari", "IR", ["عکاسی", "طبیعت"],
             [(P.PINTEREST, "leilajafariphoto", 21_500), (P.BLOG, "leilajafari.blog", 8_700)],
             "عکاسی از طبیعت و باغ‌های چای لاهیجان."),
    _creator(REZA, "reza.pakzad", "IR", ["بازی", "استریم"],
             [(P.TWITCH, "rezapakzad", 27_400), (P.YOUTUBE, "RezaPakzadGaming", 49_800)],
             "استریم بازی و گپ شبانه با بیننده‌ها."),
)

CAMPAIGNS = (
    CampaignSpec(
        0, "تابستان درخشان نیلا", "nila-summer-glow", F.TOFU, CampaignStatus.COMPLETED,
        42, -8, "18000000000.00",
        "معرفی محصولات تابستانی نیلا گیاه به مخاطبان علاقه‌مند به مراقبت از پوست در "
        "اینستاگرام و یوتیوب.", "/tabestan", "TABESTAN",
        ("روتین تابستونی من با {brand} 🌿 پوستم تو این گرما نفس می‌کشه! #{hashtag} #تبلیغ",
         "{creator} × {brand} | دو هفته استفاده، نتیجه رو خودتون ببینید ✨ #{hashtag} #تبلیغ",
         "جعبه‌گشایی پک تابستونی {brand} 📦 کدوم رو اول امتحان کنم؟ #{hashtag} #تبلیغ"),
        "تابستان_درخشان",
        (Deal(MARYAM, S.PAID, "1800000000", "18000000", "0"),
         Deal(NEGAR, S.PAID, "2200000000", "18000000", "0"),
         Deal(SINA, S.PAID, "3600000000", "0", "0"),
         Deal(TARANEH, S.LIVE, "3200000000", "24000000", "0"),
         Deal(ELHAM, S.DECLINED, "1000000000", "0", "0")),
    ),
    CampaignSpec(
        1, "ثبت‌نام باشگاه چای مه‌آلود", "mehalood-tea-club", F.MOFU, CampaignStatus.ACTIVE,
        35, 14, "12000000000.00",
        "رشد باشگاه چای مه‌آلود: عضویت در خبرنامه و نصب اپلیکیشن از طریق تولیدکنندگان "
        "محتوای سفر و آشپزی.", "/tea-club", "",
        ("یه عصر آروم و یه فنجون چای دم‌کشیده 🍵 ممنون از {brand} #{hashtag} #تبلیغ",
         "{creator} × {brand} | عضو باشگاه چای شدم؛ لینک ثبت‌نام توی بیو ☕ #{hashtag} #تبلیغ",
         "مه صبحگاهی، باغ چای و یه مسیر تازه ⛰️ با {brand} #{hashtag} #تبلیغ"),
        "باشگاه_چای",
        (Deal(ARASH, S.LIVE, "3000000000", "6500000", "0"),
         Deal(KEYVAN, S.LIVE, "1900000000", "6500000", "0"),
         Deal(SHIRIN, S.CONTENT_SUBMITTED, "900000000", "4000000", "0"),
         Deal(BAHRAM, S.CONTRACTED, "1050000000", "4000000", "0"),
         Deal(LEILA, S.INVITED, "480000000", "0", "0"),
         Deal(REZA, S.PROSPECT, "0", "0", "0")),
    ),
    CampaignSpec(
        0, "عرضه‌ی سرم ویتامین سی", "vitamin-c-serum-launch", F.BOFU, CampaignStatus.ACTIVE,
        28, 7, "10000000000.00",
        "فروش سرم تازه‌ی ویتامین سی نیلا گیاه با کدهای تخفیف و لینک‌های همکاری در فروش "
        "سازندگان محتوا.", "/serum", "15",
        # The brief asks for the brand's handle; one creator forgot it.
        ("سرم ویتامین سی جدید @{mention} رسید ✨ با کد من تخفیف بگیرید؛ لینک توی بیو "
         "#{hashtag} #تبلیغ",
         "{creator} × {brand} | قبل و بعد از یک ماه سرم ویتامین سی 🍊 #{hashtag} #کد_تخفیف "
         "#تبلیغ",
         "#تبلیغ پوستتون کدره؟ این سرم @{mention} رو امتحان کنید 💛 کدم تا آخر هفته فعاله "
         "#{hashtag}"),
        "سرم_ویتامین_سی",
        (Deal(MARYAM, S.LIVE, "1000000000", "12000000", "10"),
         Deal(NEGAR, S.LIVE, "1200000000", "12000000", "12"),
         Deal(ELHAM, S.LIVE, "360000000", "12000000", "15"),
         Deal(AMIR, S.CONTRACTED, "160000000", "12000000", "15"),
         Deal(TARANEH, S.INVITED, "2400000000", "24000000", "8")),
    ),
)

COSTS = (
    CostRow(F.TOFU, CostCategory.AD_SPEND, "2400000000.00", 10, "تبلیغ بهترین ریلزها"),
    CostRow(F.TOFU, CostCategory.PRODUCTION, "720000000.00", 3, "بسته‌های محصول و ارسال"),
    CostRow(F.TOFU, CostCategory.PLATFORM_FEE, "180000000.00", 0,
            "کارمزد پلتفرم همکاری با اینفلوئنسرها"),
    CostRow(F.MOFU, CostCategory.AD_SPEND, "1400000000.00", 12, "تبلیغ ویدیوها در یوتیوب"),
    CostRow(F.MOFU, CostCategory.PRODUCTION, "380000000.00", 2,
            "بسته‌های خوش‌آمدگویی باشگاه چای"),
    CostRow(F.MOFU, CostCategory.OTHER, "120000000.00", 5, "جوایز قرعه‌کشی"),
    CostRow(F.BOFU, CostCategory.AD_SPEND, "1000000000.00", 8, "ریتارگتینگ کلیک‌کنندگان لینک"),
    CostRow(F.BOFU, CostCategory.PLATFORM_FEE, "156000000.00", 1,
            "کارمزد شبکه‌ی همکاری در فروش"),
    CostRow(F.BOFU, CostCategory.OTHER, "60000000.00", 6, "حق استفاده از عکس‌ها"),
)

TARGETS = (
    TargetRow(F.TOFU, M.VIDEO_VIEWS, "1200000"), TargetRow(F.TOFU, M.ENGAGEMENT_RATE, "4.5"),
    TargetRow(F.TOFU, M.EMV, "30000000000"), TargetRow(F.TOFU, M.NET_SENTIMENT, "40"),
    TargetRow(F.MOFU, M.LEADS, "160"), TargetRow(F.MOFU, M.FOLLOWERS_GAINED, "25000"),
    TargetRow(F.MOFU, M.VISITS, "1000"), TargetRow(F.MOFU, M.CTR, "0.5"),
    TargetRow(F.BOFU, M.CONVERSIONS, "300"), TargetRow(F.BOFU, M.REVENUE, "6000000000"),
    TargetRow(F.BOFU, M.ROAS, "1.5"), TargetRow(F.BOFU, M.CONVERSION_RATE, "3"),
)

# Comments as they arrive: short, informal, now and then an emoji.
POSITIVE = (
    "عالیه! همین الان سفارش دادم 😍", "پوستم تا حالا این‌قدر خوب نبوده، مرسی 🙏",
    "چه معرفی خوبی، دمت گرم 👏", "بافتش فوق‌العاده‌ست، عاشقش شدم",
    "بهترین ریویویی بود که دیدم، خیلی کمکم کرد", "منم گرفتم، واقعاً راضی‌ام ❤️",
    "وای نتیجه‌ش عالیه 🔥", "طعم این چای بی‌نظیره، همه‌ی خانواده عاشقش شدن 🍵",
    "بالاخره یه برند ایرانی که واقعاً جواب می‌ده 👌", "خیلی قشنگه، مرسی که معرفی کردی 🌸",
)
NEUTRAL = (
    "از کجا می‌شه خرید؟", "به شهرستان هم ارسال دارید؟", "حجمش چنده؟",
    "کد تخفیف تا فردا هم اعتبار داره؟", "قیمتش چنده؟", "ارسالش چند روز طول می‌کشه؟",
    "برای پوست چرب هم مناسبه؟", "این چای کیسه‌ای هم داره؟",
)
NEGATIVE = (
    "برای این کیفیت خیلی گرونه", "بسته‌م شکسته رسید، واقعاً ناامید شدم 😞",
    "پوستم جوش زد، برای پوست حساس مناسب نیست", "باز هم تبلیغ... آنفالو",
    "ارسال خیلی طول کشید، پشتیبانی هم جواب نمی‌ده", "به نظرم این نظرها واقعی نیست",
)

APPROVE, CHANGES = "approve", "request_changes"  # ``ReviewDecision`` values
BRIEF = BriefPlan(
    F.BOFU,
    "فروش: سفارش سرم تازه‌ی ویتامین سی را با کد و لینک خودتان بالا ببرید.",
    ("سرم ویتامین سی: پوست روشن‌تر در چهار هفته.\nکد شما ۱۵٪ تخفیف می‌دهد.",
     "سرم ویتامین سی: پوست روشن‌تر در چهار هفته، ملایم برای استفاده‌ی هر روز.\nکد شما تا "
     "پایان کمپین ۱۵٪ تخفیف می‌دهد.\nسرم را در روتین صبحگاهی‌تان نشان دهید."),
    "شیشه و بافت سرم را جلوی دوربین نشان دهید.\nکدتان را بگویید و در کپشن بنویسید.\n"
    "@nilagiah را تگ کنید و کپشن را با #تبلیغ شروع کنید.",
    "ادعای پزشکی نکنید: سرم جوش را درمان نمی‌کند.\nبرند دیگری از محصولات پوستی در کادر "
    "نباشد.",
    ("معجزه", "درمان قطعی"),
    "کد و لینک همکاری در فروش‌تان را در کپشن یا بیو بگذارید؛ هر دو در صفحه‌ی همکاری‌تان "
    "هست.",
    MARYAM,
    (
        DeliverablePlan(MARYAM, P.INSTAGRAM, "reel", -6, "600000000", "live", (DraftStep(
            "#تبلیغ صبح‌ها با سرم ویتامین سی تازه‌ی @{mention} ✨ با کد {code} پانزده درصد "
            "تخفیف بگیرید #{hashtag}", APPROVE),), live=True),
        DeliverablePlan(MARYAM, P.INSTAGRAM, "story", 3, "400000000", "approved", (
            DraftStep("#تبلیغ روتین من، قدم دوم: سرم ☀️ @{mention} #{hashtag}", CHANGES,
                      "کدتان ({code}) را اضافه کنید تا فروش به نام خودتان ثبت شود."),
            DraftStep("#تبلیغ روتین من، قدم دوم: سرم ☀️ کد {code} @{mention} #{hashtag}",
                      APPROVE),
        )),
        DeliverablePlan(NEGAR, P.INSTAGRAM, "reel", -4, "1200000000", "live", (DraftStep(
            "#تبلیغ ریویوی صادقانه‌ی سرم ویتامین سی @{mention} با کد {code} #{hashtag}",
            APPROVE),), live=True),
        DeliverablePlan(ELHAM, P.INSTAGRAM, "reel", -5, "240000000", "live", (DraftStep(
            "#تبلیغ آرایش صبحگاهی با سرم @{mention}؛ کد {code} #{hashtag}", APPROVE),),
            live=True),
        DeliverablePlan(ELHAM, P.INSTAGRAM, "story", 2, "120000000", "approved", (
            DraftStep("#تبلیغ این سرم برای لک‌های پوست معجزه می‌کند! @{mention} #{hashtag}",
                      CHANGES, "لطفاً «معجزه» را بردارید: ادعای پزشکی یا معجزه نداریم. بگویید "
                      "روی پوست خودتان چه دیدید."),
        )),
        DeliverablePlan(AMIR, P.INSTAGRAM, "reel", 1, "100000000", "approved", (DraftStep(
            "دو هفته با سرم ویتامین سی @{mention}؛ کد {code} #{hashtag}"),)),
        DeliverablePlan(AMIR, P.INSTAGRAM, "story", -2, "60000000", "approved"),
    ),
    "INV-1404-0141",
)

PERSIAN = DemoSpec(
    slug="demo-fa", name="آژانس نمونه", time_zone="Asia/Tehran", default_language="fa",
    username="demo-fa", password="demo",  # short on purpose: the documented demo login
    email="demo-fa@funnelboard.example", first_name="کاربر", last_name="نمونه",
    seed=14040321,
    brands=(
        BrandSpec("نیلا گیاه", "https://nilagiah.example", "IRR",
                  [(P.INSTAGRAM, "nilagiah"), (P.YOUTUBE, "NilaGiah")]),
        BrandSpec("چای مه‌آلود", "https://mehaloodtea.example", "IRR",
                  [(P.INSTAGRAM, "mehalood.tea"), (P.X, "mehaloodtea")]),
    ),
    creators=CREATORS, campaigns=CAMPAIGNS, costs=COSTS, targets=TARGETS,
    positive=POSITIVE, neutral=NEUTRAL, negative=NEGATIVE,
    basket=Decimal("14500000.00"), welcome_code="NILA10",
    click_countries=("IR", "IR", "IR", "IR", "DE", "AE"),
    emv_scale=Decimal("1000000"),
    brief=BRIEF,
    creator_login=CreatorLogin("demo-fa-creator", "demo", "demo-fa-creator@funnelboard.example",
                               MARYAM),
)
