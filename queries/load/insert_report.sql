-- One ingested report with its text and the facts that describe it as a whole.
INSERT INTO reports (report_id, sha256, source_file, file_format, encoding, text, page_starts,
                     department, department_key, province, city, district, year, report_kind,
                     project_name, score_grade, problems, measures, extractor_version, is_primary)
VALUES ($report_id, $sha256, $source_file, $file_format, $encoding, $text, $page_starts,
        $department, $department_key, $province, $city, $district, $year, $report_kind,
        $project_name, $score_grade, $problems, $measures, $extractor_version, $is_primary)
