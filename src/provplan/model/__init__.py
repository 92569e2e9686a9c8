"""pydantic models: plan documents (`plan`), the registry (`registry`), settings (`settings`)."""
