"""What the cogs share: cards, buttons and menus, paging, answering within Discord's deadlines."""
