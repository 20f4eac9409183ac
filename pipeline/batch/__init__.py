"""`gongwen run`: the parent (`runner`: find files, hand out jobs, write outputs, the `store` and
the `summary`) and the workers (`pool` starts them, `worker` runs one `jobs.Job` each)."""
