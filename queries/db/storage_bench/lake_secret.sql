-- Storage prototype: where the lake is (catalog $catalog, e.g. sqlite:/path/catalog.sqlite or
-- postgres:dbname=…, and the folder of its Parquet files), as an in-memory secret: ATTACH takes no
-- parameters, CREATE SECRET does.
CREATE OR REPLACE SECRET perfboard_lake (TYPE ducklake, METADATA_PATH $catalog, DATA_PATH $data_path)
