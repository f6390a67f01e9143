-- DuckLake: where the lake is (catalog $catalog, e.g. postgres:dbname=lake host=… port=…, and the folder of
-- its Parquet files $data_path), as an in-memory secret: ATTACH takes no parameters, CREATE SECRET does.
CREATE OR REPLACE SECRET perfboard_lake (TYPE ducklake, METADATA_PATH $catalog, DATA_PATH $data_path)
