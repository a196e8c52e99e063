"""Notes staff write on contacts and companies: calls, meetings, emails, anything else."""
