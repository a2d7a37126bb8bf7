-- Up Migration
-- The catalog's taxonomy is reference data: there is no category API, so the set lives here and
-- a product naming any other slug is refused by the foreign key.
CREATE TABLE categories (
  slug text PRIMARY KEY,
  name text NOT NULL
);

INSERT INTO categories (slug, name) VALUES
  ('shoes', 'Shoes'),
  ('clothing', 'Clothing'),
  ('electronics', 'Electronics'),
  ('home-kitchen', 'Home & Kitchen'),
  ('books', 'Books'),
  ('outdoor', 'Outdoor & Camping');

CREATE TABLE products (
  id uuid PRIMARY KEY,
  sku text NOT NULL CONSTRAINT products_sku_key UNIQUE,
  -- Sorted as people read, whatever the database's default collation: "alpha" before "Bravo"
  -- (the ICU root collation; with C it would come after every capital).
  name text COLLATE "und-x-icu" NOT NULL,
  description text NOT NULL,
  category text NOT NULL CONSTRAINT products_category_fkey REFERENCES categories (slug),
  price_cents bigint NOT NULL CHECK (price_cents >= 0),
  currency char(3) NOT NULL,
  image_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A name match outranks a description match (weights A and B). The two-argument to_tsvector is
  -- immutable, which a generated column requires; the english configuration stems, so "Running
  -- Shoes" and "run shoe" meet (https://www.postgresql.org/docs/current/textsearch-controls.html).
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED
);

CREATE INDEX products_search_idx ON products USING GIN (search_vector);
CREATE INDEX products_category_idx ON products (category);
CREATE INDEX products_price_idx ON products (price_cents, id);
CREATE INDEX products_name_idx ON products (name, id);

-- The read model of inventory's stock levels, one row per product. `sequence` is inventory's
-- per-product counter: a level with a sequence at or below the stored one is stale or a
-- duplicate and changes nothing. A product starts with the stock it was created with and
-- sequence -1, so inventory's first level (sequence 0 or more) always replaces it.
CREATE TABLE product_stock (
  product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  available integer NOT NULL CHECK (available >= 0),
  sequence bigint NOT NULL,
  as_of timestamptz NOT NULL
);

-- Down Migration
DROP TABLE product_stock;
DROP TABLE products;
DROP TABLE categories;
