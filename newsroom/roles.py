"""The newsroom's roles: staff groups, each holding the permissions of its job."""

REPORTER = "Reporter"
EDITOR = "Editor"
MODERATOR = "Moderator"
AD_MANAGER = "Ad manager"
