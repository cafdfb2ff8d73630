//! The marketplace's listings: a deterministic built-in catalogue for the demo brands' goods.

use crate::util::{mix, percent_encode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many listings the built-in catalogue starts with.
pub const BUILT_IN: usize = 60;

/// Listing URLs are this prefix plus the listing id (JointForce's `MARKETPLACE_LISTING_URL_PREFIX`).
pub const URL_PREFIX: &str = "https://market.example/item/";

/// The brands whose goods the catalogue imitates, in the order they take turns.
pub const BRANDS: [&str; 3] = ["BR-AURELIA", "BR-NORTHWIND", "BR-DORADO"];

const SIGNALS: [&str; 6] = [
    "logo_mismatch",
    "price_anomaly",
    "image_reuse",
    "new_seller",
    "keyword_stuffing",
    "seller_history",
];

const SELLERS: [(&str, &str); 15] = [
    ("SEL-3001", "LuxuryOutlet88"),
    ("SEL-3002", "深圳名品仓"),
    ("SEL-3003", "GlobalBrandsDirect"),
    ("SEL-3004", "Trendy Bags HK"),
    ("SEL-3005", "OutdoorGear Pro"),
    ("SEL-3006", "义乌户外专营店"),
    ("SEL-3007", "SunStyle Optics"),
    ("SEL-3008", "Parfum Paradise"),
    ("SEL-3009", "QuickShip Mall"),
    ("SEL-3010", "Euro Fashion Deals"),
    ("SEL-3011", "香港正品代购"),
    ("SEL-3012", "Mountain Basics"),
    ("SEL-3013", "Vintage Finds Co"),
    ("SEL-3014", "BargainBox Store"),
    ("SEL-3015", "广州眼镜批发"),
];

/// (title, price in cents): CJK titles are priced in CNY, the others in EUR or USD.
type Goods = [(&'static str, u32); 20];

const AURELIA: Goods = [
    ("Aurelia Classic Tote Bag Genuine Leather Black", 18900),
    ("奥瑞莉亚 经典手提包 真皮 限量款", 129900),
    ("Aurelia Monogram Crossbody Bag Brown Canvas", 12900),
    ("Aurelia Chronograph Watch 42mm Stainless Steel", 14900),
    ("Aurelia Quilted Chain Shoulder Bag Lambskin", 21900),
    ("奥瑞莉亚 机械男士手表 蓝宝石镜面 防水", 89900),
    ("Aurelia Lady Diamond Bezel Watch Rose Gold", 17900),
    ("Aurelia Mini Bucket Bag Limited Edition", 9900),
    ("Aurelia Automatic Dress Watch 38mm Leather Strap", 13900),
    ("奥瑞莉亚 链条斜挎包 羊皮 专柜同款", 75900),
    ("Aurelia Canvas Weekender Duffle Bag", 15900),
    ("Aurelia Leather Card Holder Wallet Gift Box", 3900),
    ("Aurelia Diver Watch 300m Ceramic Bezel", 16900),
    ("奥瑞莉亚 女士钻圈腕表 玫瑰金 原单", 68800),
    ("Aurelia Top Handle Satchel Croc Embossed", 24900),
    ("Aurelia Vintage Hobo Bag 100% Authentic Guaranteed", 11900),
    ("Aurelia Skeleton Watch Tourbillon Style", 19900),
    ("奥瑞莉亚 老花托特包 大容量 新款", 56800),
    ("Aurelia Belt Bag Logo Buckle Unisex", 7900),
    ("Aurelia Moonphase Watch Blue Dial Steel Bracelet", 15900),
];

const NORTHWIND: Goods = [
    ("Northwind Storm Shell Jacket Waterproof Men's", 7900),
    ("北风 冲锋衣 防水透气 男女同款", 29900),
    ("Northwind Alpine Down Parka 800 Fill Power", 11900),
    ("Northwind Trail Hiking Boots GTX Waterproof", 6900),
    ("Northwind Fleece Half-Zip Pullover Navy", 3500),
    ("北风 高帮登山靴 防滑耐磨 户外徒步", 26800),
    ("Northwind Summit Insulated Jacket Women's", 8900),
    ("Northwind Leather Mountain Boots Vibram Sole", 8500),
    ("Northwind Windbreaker Packable Lightweight", 3900),
    ("北风 羽绒服 加厚 极寒户外 正品", 45900),
    ("Northwind Softshell Jacket Hooded Black", 5500),
    ("Northwind Winter Snow Boots Insulated -30°C", 6500),
    ("Northwind 3-in-1 Ski Jacket with Fleece Liner", 9900),
    ("北风 软壳外套 防风保暖 秋冬款", 23900),
    ("Northwind Approach Shoes Low Cut Trail", 4900),
    ("Northwind Rain Jacket Breathable Membrane", 5900),
    ("Northwind Expedition Parka Faux Fur Hood", 13900),
    ("北风 徒步鞋 低帮 透气 轻量", 19900),
    ("Northwind Puffer Vest Recycled Down", 4500),
    ("Northwind Chelsea Boots Waxed Leather", 7500),
];

const DORADO: Goods = [
    ("Dorado Aviator Sunglasses Polarized Gold Frame", 2900),
    ("多拉多 飞行员太阳镜 偏光 金框", 15900),
    ("Dorado Eau de Parfum Oro 100ml Sealed", 3900),
    ("Dorado Cat-Eye Sunglasses Tortoise Shell", 2500),
    ("Dorado Noir Intense Perfume 50ml Tester", 2900),
    ("多拉多 黄金香水 100毫升 正品 包邮", 19900),
    ("Dorado Wayfarer Sunglasses UV400 Black", 1900),
    ("Dorado Solar Eau de Toilette 75ml Gift Set", 4500),
    ("Dorado Round Metal Sunglasses Gradient Lens", 2200),
    ("多拉多 猫眼墨镜 女款 防紫外线", 12800),
    ("Dorado Ambre Parfum Extrait 30ml", 3500),
    ("Dorado Shield Sunglasses Mirrored Sport", 2700),
    ("Dorado Oro Body Mist + Perfume Set of 3", 4900),
    ("多拉多 女士香水 淡香精 礼盒装", 16900),
    ("Dorado Oversized Square Sunglasses Women", 2400),
    ("Dorado Pour Homme Eau de Parfum 100ml", 4200),
    ("Dorado Clubmaster Sunglasses Browline", 2300),
    ("多拉多 偏光太阳镜 男士 驾驶专用", 13900),
    ("Dorado Velvet Rose Perfume Sample 10ml", 1200),
    ("Dorado Aviator Kids Sunglasses Polarized", 1500),
];

const PALETTES: [[&str; 3]; 3] = [
    ["#8a5a2b", "#b08d57", "#5b3a29"],
    ["#1f4e79", "#2e6b4f", "#3b5f8a"],
    ["#c2571a", "#d4a017", "#9c3d54"],
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    pub amount: String,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub seller_id: String,
    pub name: String,
}

/// A listing as the marketplace shows it (the `listing` object of events and lookups).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub listing_id: String,
    pub url: String,
    pub title: String,
    pub price: Price,
    pub image_url: String,
    pub seller: Seller,
}

/// What the marketplace's own detection says about a listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub score: f64,
    pub signals: Vec<String>,
}

/// A catalogue entry: the listing, whose goods it imitates, and its detection result.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub brand_ref: Option<String>,
    pub listing: Listing,
    pub detection: Detection,
}

/// The listings the marketplace knows, by id.
#[derive(Debug)]
pub struct Catalogue {
    entries: BTreeMap<String, Entry>,
    next_index: usize,
}

impl Default for Catalogue {
    fn default() -> Self {
        Self::built_in()
    }
}

impl Catalogue {
    /// The same [`BUILT_IN`] listings every time.
    pub fn built_in() -> Self {
        let entries = (0..BUILT_IN)
            .map(generate)
            .map(|e| (e.listing.listing_id.clone(), e));
        Catalogue {
            entries: entries.collect(),
            next_index: BUILT_IN,
        }
    }

    pub fn get(&self, listing_id: &str) -> Option<&Entry> {
        self.entries.get(listing_id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// Adds a listing or replaces the one with its id, keeping what the catalogue knew of its
    /// brand and detection unless told otherwise.
    pub fn upsert(&mut self, listing: Listing, brand_ref: Option<String>) {
        let id = listing.listing_id.clone();
        match self.entries.get_mut(&id) {
            Some(entry) => {
                entry.listing = listing;
                if brand_ref.is_some() {
                    entry.brand_ref = brand_ref;
                }
            }
            None => {
                let detection = detection_for(mix(id.len() as u64 ^ self.next_index as u64));
                let entry = Entry {
                    brand_ref,
                    listing,
                    detection,
                };
                self.entries.insert(id, entry);
            }
        }
    }

    pub fn remove(&mut self, listing_id: &str) -> Option<Entry> {
        self.entries.remove(listing_id)
    }

    /// Ids of the listings imitating `brand_ref`'s goods (every listing, for a brand the
    /// catalogue has no goods of) that `skip` does not exclude, in id order.
    pub fn candidates(&self, brand_ref: &str, skip: impl Fn(&str) -> bool) -> Vec<String> {
        let own = BRANDS.contains(&brand_ref);
        self.entries
            .values()
            .filter(|e| !own || e.brand_ref.as_deref() == Some(brand_ref))
            .map(|e| e.listing.listing_id.as_str())
            .filter(|id| !skip(id))
            .map(str::to_owned)
            .collect()
    }

    /// Lists a new listing (the next in the deterministic sequence) imitating `brand_ref`'s
    /// goods, or any goods for a brand the catalogue has none of; returns its id.
    pub fn list_new(&mut self, brand_ref: &str) -> String {
        loop {
            let entry = generate(self.next_index);
            self.next_index += 1;
            let fits =
                !BRANDS.contains(&brand_ref) || entry.brand_ref.as_deref() == Some(brand_ref);
            let id = entry.listing.listing_id.clone();
            if !self.entries.contains_key(&id) {
                self.entries.insert(id.clone(), entry);
                if fits {
                    return id;
                }
            }
        }
    }
}

/// The words a brand's goods are also found by: its name in English and in Chinese.
fn brand_words(brand_ref: &str) -> &'static str {
    match brand_ref {
        "BR-AURELIA" => "aurelia 奥瑞莉亚",
        "BR-NORTHWIND" => "northwind 北风",
        "BR-DORADO" => "dorado 多拉多",
        _ => "",
    }
}

impl Entry {
    /// Whether the listing's title, seller or brand contains every word of `words` (already
    /// lower-cased): a substring match, so a Chinese word matches inside a run of Chinese.
    fn matches(&self, words: &[String]) -> bool {
        let brand = self.brand_ref.as_deref().unwrap_or_default();
        let text = format!(
            "{} {} {} {}",
            self.listing.title,
            self.listing.seller.name,
            brand,
            brand_words(brand)
        )
        .to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    }
}

impl Catalogue {
    /// Listings matching every word of `q` (case-insensitive substrings of title, seller or
    /// brand), in id order after `cursor` (the last id of the page before): at most `limit`,
    /// and the cursor of the next page when more follow.
    pub fn search(
        &self,
        q: &str,
        cursor: Option<&str>,
        limit: usize,
    ) -> (Vec<&Entry>, Option<String>) {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        let mut found = self
            .entries
            .values()
            .filter(|e| cursor.is_none_or(|c| e.listing.listing_id.as_str() > c))
            .filter(|e| e.matches(&words));
        let page: Vec<&Entry> = found.by_ref().take(limit).collect();
        let next = match (found.next(), page.last()) {
            (Some(_), Some(last)) => Some(last.listing.listing_id.clone()),
            _ => None,
        };
        (page, next)
    }
}

/// The `index`-th listing of the deterministic sequence (ids from `MKT-100001`).
pub fn generate(index: usize) -> Entry {
    let brand = index % BRANDS.len();
    let goods = [&AURELIA, &NORTHWIND, &DORADO][brand];
    let (title, cents) = goods[(index / BRANDS.len()) % goods.len()];
    let listing_id = format!("MKT-{}", 100_001 + index);
    let h = mix(index as u64);
    let chinese = title.chars().next().is_some_and(|c| !c.is_ascii());
    let (currency, cents) = if chinese {
        ("CNY", cents)
    } else if index % 4 == 1 {
        ("USD", cents + cents / 10)
    } else {
        ("EUR", cents)
    };
    // Counterfeiters like prices that end in 9s.
    let cents = match h % 3 {
        0 => cents,
        1 => cents.saturating_sub(1),
        _ => cents.saturating_sub(50),
    };
    let seller = if index.is_multiple_of(4) {
        0
    } else if index % 6 == 1 {
        1
    } else if matches!(index % 5, 2 | 3) {
        2
    } else {
        3 + (mix(h) % 12) as usize
    };
    let (seller_id, seller_name) = SELLERS[seller];
    let colour = PALETTES[brand][(h % 3) as usize];
    let listing = Listing {
        url: format!("{URL_PREFIX}{listing_id}"),
        image_url: tile(&initials(title), colour),
        listing_id,
        title: title.to_owned(),
        price: Price {
            amount: format!("{}.{:02}", cents / 100, cents % 100),
            currency: currency.to_owned(),
        },
        seller: Seller {
            seller_id: seller_id.to_owned(),
            name: seller_name.to_owned(),
        },
    };
    Entry {
        brand_ref: Some(BRANDS[brand].to_owned()),
        listing,
        detection: detection_for(mix(h ^ 0x00D3_7EC7)),
    }
}

/// A score in 0.55..=0.99 and one to three distinct signals, chosen by `h`.
fn detection_for(h: u64) -> Detection {
    let score = (55 + h % 45) as f64 / 100.0;
    let count = 1 + (mix(h) % 3) as usize;
    let start = (mix(h ^ 0x5167) % SIGNALS.len() as u64) as usize;
    let signals = (0..count)
        .map(|k| SIGNALS[(start + k) % SIGNALS.len()].to_owned())
        .collect();
    Detection { score, signals }
}

/// The first letters of a title's first two words ("AC" for "Aurelia Classic …").
fn initials(title: &str) -> String {
    title
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A small coloured tile with `text` on it, as an inline `data:` URL (no external image hosts).
fn tile(text: &str, colour: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='96' height='96' viewBox='0 0 96 96'>\
         <rect width='96' height='96' rx='10' fill='{colour}'/>\
         <text x='48' y='59' font-family='sans-serif' font-size='30' font-weight='700' \
         fill='#ffffff' text-anchor='middle'>{text}</text></svg>"
    );
    format!("data:image/svg+xml;utf8,{}", percent_encode(&svg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_built_in_catalogue_is_deterministic_and_varied() {
        let a = Catalogue::built_in();
        let b = Catalogue::built_in();
        assert_eq!(a.len(), BUILT_IN);
        let listings: Vec<_> = a.entries().collect();
        assert_eq!(listings, b.entries().collect::<Vec<_>>());
        assert_eq!(listings[0].listing.listing_id, "MKT-100001");
        assert_eq!(
            listings[0].listing.url,
            "https://market.example/item/MKT-100001"
        );

        let chinese = listings
            .iter()
            .filter(|e| {
                e.listing
                    .title
                    .chars()
                    .any(|c| !c.is_ascii() && c.is_alphabetic())
            })
            .count();
        assert!((12..=18).contains(&chinese), "{chinese} CJK titles");

        let mut per_seller: HashMap<&str, usize> = HashMap::new();
        for e in &listings {
            *per_seller.entry(&e.listing.seller.seller_id).or_default() += 1;
            let d = &e.detection;
            assert!((0.55..=0.99).contains(&d.score), "{}", d.score);
            assert!((1..=3).contains(&d.signals.len()));
            assert!(e
                .listing
                .image_url
                .starts_with("data:image/svg+xml;utf8,%3Csvg"));
            let amount = &e.listing.price.amount;
            assert!(amount.parse::<f64>().is_ok_and(|a| a > 0.0), "{amount}");
            assert!(["EUR", "CNY", "USD"].contains(&e.listing.price.currency.as_str()));
        }
        assert!((10..=16).contains(&per_seller.len()), "{per_seller:?}");
        assert!(
            per_seller.values().filter(|&&n| n >= 8).count() >= 3,
            "{per_seller:?}"
        );
        for brand in BRANDS {
            assert_eq!(a.candidates(brand, |_| false).len(), BUILT_IN / 3);
        }
        assert_eq!(a.candidates("BR-COBALT", |_| false).len(), BUILT_IN);
    }

    #[test]
    fn initials_work_for_latin_and_chinese_titles() {
        assert_eq!(initials("Aurelia Classic Tote"), "AC");
        assert_eq!(initials("奥瑞莉亚 经典手提包 真皮"), "奥经");
        assert_eq!(initials("Dorado 3-in-1"), "D3");
    }

    #[test]
    fn new_listings_follow_the_sequence_for_the_asked_brand() {
        let mut c = Catalogue::built_in();
        let id = c.list_new("BR-NORTHWIND");
        assert_eq!(
            c.get(&id).and_then(|e| e.brand_ref.as_deref()),
            Some("BR-NORTHWIND")
        );
        assert!(c.len() > BUILT_IN);
        let other = c.list_new("BR-COBALT");
        assert_ne!(id, other);
    }
}
