"""The listings already live when the feed began enter it once, in the order they were created, so a harvester's
first run from the beginning takes the whole public exchange."""

from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    Listing = apps.get_model("listings", "Listing")
    ListingChange = apps.get_model("exchange", "ListingChange")
    ChangeSequence = apps.get_model("exchange", "ChangeSequence")
    seq = 0
    batch = []
    for pk, code in Listing.objects.filter(is_live=True).order_by("pk").values_list("pk", "reference_code").iterator():
        seq += 1
        batch.append(ListingChange(reference_code=code, listing_id=pk, seq=seq))
        if len(batch) >= BATCH:
            ListingChange.objects.bulk_create(batch)
            batch = []
    ListingChange.objects.bulk_create(batch)
    ChangeSequence.objects.update_or_create(pk=1, defaults={"value": seq})


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_exchange_feed_keys_and_sources")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
