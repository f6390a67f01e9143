-- Re-extraction: replace what the extractor said about a stored report, keep the rest.
UPDATE reports SET
    text = $text, page_starts = $page_starts, file_format = $file_format, encoding = $encoding,
    department = $department, department_key = $department_key, province = $province,
    city = $city, district = $district, year = $year, report_kind = $report_kind,
    project_name = $project_name, score_grade = $score_grade, problems = $problems,
    measures = $measures, document_type = $document_type, needs_review = $needs_review,
    review_reasons = $review_reasons, extractor_version = $extractor_version, extracted_at = current_timestamp
WHERE report_id = $report_id
