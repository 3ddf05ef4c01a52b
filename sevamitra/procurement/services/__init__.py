"""Every write of government orders (STYLE.md §2): offices and posts, rule sets, requisitions,
approvals (with the booking of the chosen providers), completion and acceptance."""
