import type { CreateProductInput } from '@shop/contracts';

/**
 * The demo catalog loaded when DEMO_DATA=true: data only, validated against the create-product
 * contract when it is loaded. Most products have plenty of stock; a few are low (1..10) or sold
 * out (0), so every stock status shows. Categories are the ones the migration creates.
 */
export const demoProducts: readonly CreateProductInput[] = [
  {
    sku: 'SHOE-RUN-001',
    name: 'Velocity Road Running Shoes',
    description:
      'Lightweight road running shoes with a responsive foam midsole and a breathable knit upper, made for daily training runs.',
    category: 'shoes',
    priceCents: 11_999,
    currency: 'EUR',
    initialStock: 240,
  },
  {
    sku: 'SHOE-TRL-002',
    name: 'Ridgeline Trail Running Shoes',
    description:
      'Trail shoes with a grippy lugged outsole, a rock plate and a gusseted tongue that keeps grit out on technical descents.',
    category: 'shoes',
    priceCents: 13_499,
    currency: 'EUR',
    initialStock: 150,
  },
  {
    sku: 'SHOE-WLK-003',
    name: 'Cityline Leather Sneakers',
    description:
      'Minimal white leather sneakers with a cushioned insole and a stitched cupsole for all-day walking around town.',
    category: 'shoes',
    priceCents: 8_999,
    currency: 'EUR',
    initialStock: 320,
  },
  {
    sku: 'SHOE-HIK-004',
    name: 'Summit Waterproof Hiking Boots',
    description:
      'Mid-cut hiking boots with a waterproof membrane, ankle support and a Vibram sole for long days on rough terrain.',
    category: 'shoes',
    priceCents: 17_900,
    currency: 'EUR',
    initialStock: 7,
  },
  {
    sku: 'SHOE-SND-005',
    name: 'Harbor Sport Sandals',
    description:
      'Quick-drying sport sandals with adjustable straps and a contoured footbed, at home on the beach and the river bank.',
    category: 'shoes',
    priceCents: 4_999,
    currency: 'EUR',
    initialStock: 410,
  },
  {
    sku: 'SHOE-CRT-006',
    name: 'Baseline Tennis Court Shoes',
    description:
      'Court shoes with lateral support, a durable toe cap and a herringbone outsole for quick changes of direction.',
    category: 'shoes',
    priceCents: 9_499,
    currency: 'EUR',
    initialStock: 0,
  },
  {
    sku: 'SHOE-SLP-007',
    name: 'Cozy Wool Slippers',
    description:
      'Felted merino wool slippers with a soft suede sole, warm in winter and breathable in summer.',
    category: 'shoes',
    priceCents: 3_999,
    currency: 'EUR',
    initialStock: 180,
  },
  {
    sku: 'SHOE-RUN-008',
    name: 'Tempo Racing Flats',
    description:
      'Featherweight racing shoes with a carbon plate for race-day speed over 5k to the marathon. Running fast, running light.',
    category: 'shoes',
    priceCents: 21_999,
    currency: 'EUR',
    initialStock: 120,
  },
  {
    sku: 'SHOE-KID-009',
    name: 'Kids Light-Up Sneakers',
    description:
      'Hook-and-loop sneakers for children with LED soles that flash with every step and a reinforced toe for the playground.',
    category: 'shoes',
    priceCents: 3_499,
    currency: 'EUR',
    initialStock: 260,
  },
  {
    sku: 'CLO-TEE-001',
    name: 'Organic Cotton T-Shirt',
    description:
      'A classic crew-neck tee in heavyweight organic cotton that keeps its shape wash after wash.',
    category: 'clothing',
    priceCents: 2_499,
    currency: 'EUR',
    initialStock: 500,
  },
  {
    sku: 'CLO-HOD-002',
    name: 'Fleece Pullover Hoodie',
    description:
      'A brushed fleece hoodie with a kangaroo pocket and ribbed cuffs, warm enough for autumn evenings.',
    category: 'clothing',
    priceCents: 5_499,
    currency: 'EUR',
    initialStock: 210,
  },
  {
    sku: 'CLO-JKT-003',
    name: 'Stormproof Rain Jacket',
    description:
      'A packable waterproof shell with taped seams, pit zips and an adjustable hood for wet commutes and hikes.',
    category: 'clothing',
    priceCents: 12_900,
    currency: 'EUR',
    initialStock: 140,
  },
  {
    sku: 'CLO-JNS-004',
    name: 'Slim Fit Selvedge Jeans',
    description:
      'Raw selvedge denim jeans with a slim tapered leg, woven on vintage shuttle looms.',
    category: 'clothing',
    priceCents: 9_900,
    currency: 'EUR',
    initialStock: 3,
  },
  {
    sku: 'CLO-SCK-005',
    name: 'Merino Running Socks (3 pack)',
    description:
      'Cushioned merino wool socks for running and hiking that wick moisture and resist odour.',
    category: 'clothing',
    priceCents: 2_999,
    currency: 'EUR',
    initialStock: 600,
  },
  {
    sku: 'CLO-SHR-006',
    name: 'Linen Button-Down Shirt',
    description:
      'A relaxed linen shirt with a button-down collar, cool and breathable for hot summer days.',
    category: 'clothing',
    priceCents: 6_499,
    currency: 'EUR',
    initialStock: 175,
  },
  {
    sku: 'CLO-DWN-007',
    name: 'Lightweight Down Vest',
    description:
      'A 700-fill down vest that packs into its own pocket, for layering on cold mornings.',
    category: 'clothing',
    priceCents: 8_999,
    currency: 'EUR',
    initialStock: 0,
  },
  {
    sku: 'CLO-TGT-008',
    name: 'Performance Running Tights',
    description:
      'Compression running tights with a zipped back pocket and reflective details for evening runs.',
    category: 'clothing',
    priceCents: 4_999,
    currency: 'EUR',
    initialStock: 230,
  },
  {
    sku: 'CLO-BNE-009',
    name: 'Ribbed Wool Beanie',
    description: 'A chunky ribbed beanie knitted from soft lambswool with a fold-over cuff.',
    category: 'clothing',
    priceCents: 1_999,
    currency: 'EUR',
    initialStock: 340,
  },
  {
    sku: 'ELEC-HPH-001',
    name: 'Noise Cancelling Wireless Headphones',
    description:
      'Over-ear Bluetooth headphones with adaptive noise cancellation, 30 hours of battery and a fold-flat travel case.',
    category: 'electronics',
    priceCents: 24_900,
    currency: 'EUR',
    initialStock: 130,
  },
  {
    sku: 'ELEC-KBD-002',
    name: 'Mechanical Keyboard',
    description:
      'A tenkeyless mechanical keyboard with hot-swappable tactile switches, PBT keycaps and a USB-C cable.',
    category: 'electronics',
    priceCents: 10_900,
    currency: 'EUR',
    initialStock: 190,
  },
  {
    sku: 'ELEC-MSE-003',
    name: 'Ergonomic Wireless Mouse',
    description:
      'A sculpted vertical mouse that keeps the wrist in a natural handshake position, with silent clicks.',
    category: 'electronics',
    priceCents: 5_999,
    currency: 'EUR',
    initialStock: 270,
  },
  {
    sku: 'ELEC-SPK-004',
    name: 'Portable Bluetooth Speaker',
    description:
      'A rugged waterproof speaker with deep bass, 16 hours of playtime and a strap for the bike or the backpack.',
    category: 'electronics',
    priceCents: 7_999,
    currency: 'EUR',
    initialStock: 5,
  },
  {
    sku: 'ELEC-WCH-005',
    name: 'GPS Running Watch',
    description:
      'A GPS sports watch with heart-rate tracking, training plans and a week of battery life for runners and cyclists.',
    category: 'electronics',
    priceCents: 29_900,
    currency: 'EUR',
    initialStock: 110,
  },
  {
    sku: 'ELEC-CHG-006',
    name: '65W USB-C Charger',
    description:
      'A compact gallium nitride charger with two USB-C ports and one USB-A port, enough for a laptop and a phone.',
    category: 'electronics',
    priceCents: 3_999,
    currency: 'EUR',
    initialStock: 450,
  },
  {
    sku: 'ELEC-CAM-007',
    name: '4K Action Camera',
    description:
      'A waterproof 4K action camera with image stabilisation and a mounting kit for helmets and handlebars.',
    category: 'electronics',
    priceCents: 27_900,
    currency: 'EUR',
    initialStock: 0,
  },
  {
    sku: 'ELEC-MON-008',
    name: '27 inch 4K Monitor',
    description:
      'An IPS monitor with 4K resolution, USB-C power delivery and a height-adjustable stand for the home office.',
    category: 'electronics',
    priceCents: 34_900,
    currency: 'EUR',
    initialStock: 100,
  },
  {
    sku: 'ELEC-EBR-009',
    name: 'E-Ink Reader',
    description:
      'A glare-free 7 inch e-ink reader with a warm front light and weeks of battery, holds thousands of books.',
    category: 'electronics',
    priceCents: 14_900,
    currency: 'EUR',
    initialStock: 160,
  },
  {
    sku: 'HOME-KET-001',
    name: 'Gooseneck Electric Kettle',
    description:
      'A pour-over kettle with precise temperature control and a slow-pour spout for coffee and tea.',
    category: 'home-kitchen',
    priceCents: 6_999,
    currency: 'EUR',
    initialStock: 200,
  },
  {
    sku: 'HOME-PAN-002',
    name: 'Cast Iron Skillet 26 cm',
    description:
      'A pre-seasoned cast iron pan that goes from the stove to the oven, for searing, baking and frying.',
    category: 'home-kitchen',
    priceCents: 3_999,
    currency: 'EUR',
    initialStock: 310,
  },
  {
    sku: 'HOME-KNF-003',
    name: "Chef's Knife 20 cm",
    description:
      'A forged stainless steel chef knife with a full tang and a balanced handle for everyday chopping.',
    category: 'home-kitchen',
    priceCents: 8_900,
    currency: 'EUR',
    initialStock: 150,
  },
  {
    sku: 'HOME-GRN-004',
    name: 'Burr Coffee Grinder',
    description:
      'A conical burr grinder with 40 grind settings, from espresso fine to French press coarse.',
    category: 'home-kitchen',
    priceCents: 12_900,
    currency: 'EUR',
    initialStock: 9,
  },
  {
    sku: 'HOME-BRD-005',
    name: 'Acacia Cutting Board',
    description:
      'A thick end-grain acacia board with a juice groove, kind to knife edges and handsome on the table.',
    category: 'home-kitchen',
    priceCents: 3_499,
    currency: 'EUR',
    initialStock: 220,
  },
  {
    sku: 'HOME-DUV-006',
    name: 'Linen Duvet Cover',
    description:
      'A stonewashed linen duvet cover with coconut buttons that gets softer with every wash.',
    category: 'home-kitchen',
    priceCents: 11_900,
    currency: 'EUR',
    initialStock: 120,
  },
  {
    sku: 'HOME-LMP-007',
    name: 'Dimmable Desk Lamp',
    description:
      'An aluminium LED desk lamp with adjustable colour temperature and a wireless phone charger in the base.',
    category: 'home-kitchen',
    priceCents: 5_999,
    currency: 'EUR',
    initialStock: 180,
  },
  {
    sku: 'HOME-POT-008',
    name: 'Enamelled Dutch Oven 5 L',
    description:
      'A heavy enamelled cast iron pot for slow-cooked stews, braises and crusty sourdough bread.',
    category: 'home-kitchen',
    priceCents: 15_900,
    currency: 'EUR',
    initialStock: 105,
  },
  {
    sku: 'HOME-BTL-009',
    name: 'Insulated Water Bottle 750 ml',
    description:
      'A double-walled stainless steel bottle that keeps drinks cold for 24 hours or hot for 12.',
    category: 'home-kitchen',
    priceCents: 2_999,
    currency: 'EUR',
    initialStock: 480,
  },
  {
    sku: 'BOOK-DDI-001',
    name: 'Designing Data-Intensive Applications',
    description:
      'A guide to the ideas behind reliable, scalable and maintainable data systems: replication, partitioning, transactions and streams.',
    category: 'books',
    priceCents: 4_499,
    currency: 'EUR',
    initialStock: 140,
  },
  {
    sku: 'BOOK-RUN-002',
    name: 'Born to Run',
    description:
      "The story of a hidden tribe of ultra-runners and the author's journey into the joy of running long distances.",
    category: 'books',
    priceCents: 1_699,
    currency: 'EUR',
    initialStock: 230,
  },
  {
    sku: 'BOOK-CKB-003',
    name: 'Salt, Fat, Acid, Heat',
    description:
      'A cookbook that teaches the four elements of good cooking, with illustrated recipes for every kitchen.',
    category: 'books',
    priceCents: 3_299,
    currency: 'EUR',
    initialStock: 190,
  },
  {
    sku: 'BOOK-PRG-004',
    name: 'The Pragmatic Programmer',
    description:
      'Timeless advice on software craftsmanship, from tracer bullets to orthogonality and pragmatic paranoia.',
    category: 'books',
    priceCents: 3_999,
    currency: 'EUR',
    initialStock: 1,
  },
  {
    sku: 'BOOK-HIK-005',
    name: 'Alpine Trails Hiking Guide',
    description:
      'Fifty day hikes and hut-to-hut routes through the Alps, with maps, elevation profiles and tips on gear.',
    category: 'books',
    priceCents: 2_499,
    currency: 'EUR',
    initialStock: 115,
  },
  {
    sku: 'BOOK-SFI-006',
    name: 'The Left Hand of Darkness',
    description:
      'A classic science fiction novel about an envoy on a frozen world whose people have no fixed sex.',
    category: 'books',
    priceCents: 1_299,
    currency: 'EUR',
    initialStock: 260,
  },
  {
    sku: 'BOOK-HIS-007',
    name: 'Sapiens: A Brief History of Humankind',
    description:
      'How an insignificant ape came to rule the planet: the cognitive, agricultural and scientific revolutions.',
    category: 'books',
    priceCents: 1_899,
    currency: 'EUR',
    initialStock: 300,
  },
  {
    sku: 'BOOK-KID-008',
    name: 'The Very Hungry Caterpillar',
    description:
      'A board book classic for toddlers that follows a caterpillar eating its way through the week.',
    category: 'books',
    priceCents: 899,
    currency: 'EUR',
    initialStock: 420,
  },
  {
    sku: 'BOOK-ARC-009',
    name: 'Clean Architecture',
    description:
      "A craftsman's guide to software structure and design: boundaries, policies and the dependency rule.",
    category: 'books',
    priceCents: 3_599,
    currency: 'EUR',
    initialStock: 0,
  },
  {
    sku: 'OUT-TNT-001',
    name: 'Two-Person Backpacking Tent',
    description:
      'A freestanding tent that weighs under 1.5 kg, with two doors, two vestibules and a quick pitch.',
    category: 'outdoor',
    priceCents: 32_900,
    currency: 'EUR',
    initialStock: 110,
  },
  {
    sku: 'OUT-SLB-002',
    name: 'Down Sleeping Bag -5 °C',
    description:
      'A mummy sleeping bag with responsibly sourced down, comfortable to minus five degrees and packable to a small stuff sack.',
    category: 'outdoor',
    priceCents: 24_900,
    currency: 'EUR',
    initialStock: 125,
  },
  {
    sku: 'OUT-BPK-003',
    name: 'Trekking Backpack 45 L',
    description:
      'A ventilated trekking pack with an adjustable back system, hip-belt pockets and a rain cover.',
    category: 'outdoor',
    priceCents: 16_900,
    currency: 'EUR',
    initialStock: 135,
  },
  {
    sku: 'OUT-STV-004',
    name: 'Compact Camping Stove',
    description:
      'A canister stove that boils a litre of water in three minutes and folds into its own pot.',
    category: 'outdoor',
    priceCents: 4_999,
    currency: 'EUR',
    initialStock: 10,
  },
  {
    sku: 'OUT-HLP-005',
    name: 'Rechargeable Headlamp',
    description:
      'A 400 lumen headlamp with a red night mode and USB-C charging, for camp chores and early trail starts.',
    category: 'outdoor',
    priceCents: 3_999,
    currency: 'EUR',
    initialStock: 290,
  },
  {
    sku: 'OUT-PLS-006',
    name: 'Carbon Trekking Poles',
    description:
      'A pair of foldable carbon poles with cork grips that take the load off the knees on long descents.',
    category: 'outdoor',
    priceCents: 11_900,
    currency: 'EUR',
    initialStock: 145,
  },
  {
    sku: 'OUT-MAT-007',
    name: 'Insulated Sleeping Pad',
    description:
      'An inflatable sleeping pad with an R-value of 4.2 for three-season camping, with a pump sack included.',
    category: 'outdoor',
    priceCents: 13_900,
    currency: 'EUR',
    initialStock: 160,
  },
  {
    sku: 'OUT-FLT-008',
    name: 'Squeeze Water Filter',
    description:
      'A pocket-sized water filter that removes bacteria and protozoa from streams and lakes.',
    category: 'outdoor',
    priceCents: 3_499,
    currency: 'EUR',
    initialStock: 380,
  },
  {
    sku: 'OUT-HMK-009',
    name: 'Ultralight Camping Hammock',
    description:
      'A parachute nylon hammock with tree straps that sets up in a minute between any two trees.',
    category: 'outdoor',
    priceCents: 5_499,
    currency: 'EUR',
    initialStock: 200,
  },
];
