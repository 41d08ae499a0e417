"""Pages of the deals domain: my deals, a deal and its actions, the contract summary, the staff list and funnel."""
