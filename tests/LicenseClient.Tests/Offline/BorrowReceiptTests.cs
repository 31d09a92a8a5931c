using System;
using System.Text.Json.Nodes;
using LicenseClient.Tests.Infrastructure;
using NodaTime;

namespace LicenseClient.Tests.Offline;

public sealed class BorrowReceiptTests
{
    [Fact]
    public void A_receipt_round_trips_through_its_json_document_byte_for_byte()
    {
        BorrowReceipt receipt = Receipts.Genuine("export");

        BorrowReceipt read = BorrowReceipt.Parse(receipt.ToJson());

        Assert.Equal(receipt.Body.ToArray(), read.Body.ToArray());
        Assert.Equal(receipt.Signature, read.Signature);
        Assert.Equal(Receipts.Issued, read.ServerDate);
        Assert.Equal(Receipts.Product, read.Product);
        Assert.Equal(Receipts.HardwareId, read.HardwareId);
        Assert.Equal("export", read.Feature);
    }

    [Fact]
    public void The_document_is_versioned_and_keeps_the_body_in_base64()
    {
        JsonObject document = JsonNode.Parse(Receipts.Genuine().ToJson())!.AsObject();

        Assert.Equal(1, (int)document["version"]!);
        Assert.Equal(BorrowReceipt.CurrentVersion, (int)document["version"]!);
        Assert.Equal(Receipts.Body, Convert.FromBase64String((string)document["body"]!));
        Assert.Equal("2026-11-26T12:00:00.000Z", (string)document["server_date"]!);
        Assert.False(document.ContainsKey("feature"));
    }

    [Fact]
    public void Fields_a_later_version_adds_are_ignored()
    {
        JsonObject document = JsonNode.Parse(Receipts.Genuine().ToJson())!.AsObject();
        document["machine_binding"] = "something new";
        document["extra"] = new JsonObject { ["nested"] = 1 };

        BorrowReceipt read = BorrowReceipt.Parse(document.ToJsonString());

        Assert.Equal(Receipts.Body, read.Body.ToArray());
    }

    [Theory]
    [InlineData("", ReceiptLoadStatus.Corrupt)]
    [InlineData("{\"version\":1,\"product\":\"p", ReceiptLoadStatus.Corrupt)]
    [InlineData("not json", ReceiptLoadStatus.Corrupt)]
    [InlineData("null", ReceiptLoadStatus.Corrupt)]
    [InlineData("[]", ReceiptLoadStatus.Corrupt)]
    [InlineData("{\"version\":2,\"product\":\"p\",\"hardware_id\":\"h\",\"body\":\"e30=\"}", ReceiptLoadStatus.NewerVersion)]
    [InlineData("{\"product\":\"p\",\"hardware_id\":\"h\",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":\"1\",\"product\":\"p\",\"hardware_id\":\"h\",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":1,\"hardware_id\":\"h\",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":1,\"product\":\"p\",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":1,\"product\":\"p\",\"hardware_id\":\"h\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":1,\"product\":\"p\",\"hardware_id\":\"h\",\"feature\":\" \",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":1,\"product\":\"p\",\"hardware_id\":\"h\",\"server_date\":\"yesterday\",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    [InlineData("{\"version\":1,\"product\":\"p\",\"hardware_id\":\"h\",\"body\":\"not base64!\"}", ReceiptLoadStatus.Corrupt)]
    public void A_document_that_is_not_a_receipt_is_a_typed_format_error(string json, ReceiptLoadStatus expected)
    {
        BorrowReceiptFormatException error = Assert.Throws<BorrowReceiptFormatException>(() => BorrowReceipt.Parse(json));

        Assert.Equal(expected, error.Status);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void The_receipt_holds_and_shows_no_secret_and_copies_its_body()
    {
        byte[] body = Receipts.Body;
        var receipt = new BorrowReceipt(body, TestKeys.Sign(body), Receipts.Issued, Receipts.Product, Receipts.HardwareId);
        body[0] = (byte)'X';

        Assert.Equal((byte)'{', receipt.Body.Span[0]);
        Assert.DoesNotContain(receipt.Signature!, receipt.ToString(), StringComparison.Ordinal);
        Assert.Contains(Receipts.Product, receipt.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("license_key", receipt.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_needs_a_product_and_a_hardware_id()
    {
        Assert.Throws<ArgumentException>("product", () => new BorrowReceipt(Receipts.Body, null, null, " ", "hw"));
        Assert.Throws<ArgumentException>("hardwareId", () => new BorrowReceipt(Receipts.Body, null, null, "p", ""));
        Assert.Throws<ArgumentException>("feature", () => new BorrowReceipt(Receipts.Body, null, null, "p", "hw", " "));
        Assert.Throws<ArgumentNullException>("json", () => BorrowReceipt.Parse(null!));
    }

    [Fact]
    public void Borrow_results_compare_by_what_they_grant_not_by_their_receipt()
    {
        var plain = new BorrowedLicense(Receipts.Until, Duration.FromHours(12), 1, 2);
        BorrowedLicense withReceipt = plain with { Receipt = Receipts.Genuine() };
        var feature = new BorrowedFeature("export", Receipts.Until, Duration.FromHours(12), 1, 2);

        Assert.Equal(plain, withReceipt);
        Assert.Equal(plain.GetHashCode(), withReceipt.GetHashCode());
        Assert.NotEqual(plain, plain with { DeviceId = 3 });
        Assert.Equal(feature, feature with { Receipt = Receipts.Genuine("export") });
        Assert.NotEqual(feature, feature with { Feature = "import" });
    }
}
