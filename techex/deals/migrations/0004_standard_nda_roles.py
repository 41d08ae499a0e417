"""The standard NDA, version 2: the side that has the technology discloses, on a need as on an offer.

Version 1 named "the owner of the offer listing (bên sở hữu tin chào)" as the disclosing party in every deal, also
when the deal started from a need, where it is the inquirer who brings the technology. Version 2 names the
disclosing party by its role (the side with the technology) and protects what the other side discloses too. It is
added only when version 1 is still the newest seeded text: a version staff published since is left as it is.
"""

from django.db import migrations

TITLE = "Thỏa thuận bảo mật thông tin (mẫu chuẩn của sàn)"

BODY = """THỎA THUẬN BẢO MẬT THÔNG TIN

Thỏa thuận này được lập giữa hai bên của giao dịch có mã số ghi trên sàn giao dịch công nghệ, khi cả hai bên chấp nhận trên sàn:
- Bên công bố là bên có công nghệ: bên đăng tin chào bán công nghệ; hoặc, với tin nhu cầu công nghệ, bên gửi đề nghị đáp ứng nhu cầu đó bằng công nghệ của mình;
- Bên nhận là bên còn lại.
Thông tin bảo mật mà Bên nhận cung cấp cho Bên công bố trong giao dịch (như yêu cầu kỹ thuật, điều kiện sản xuất nêu trong tin nhu cầu công nghệ) cũng được bảo mật theo các điều dưới đây; khi đó hai bên đổi vai cho nhau.

Điều 1. Thông tin bảo mật
Thông tin bảo mật là mọi tài liệu, dữ liệu, bí quyết kỹ thuật, bí quyết công nghệ, quy trình, bản vẽ, công thức, phần mềm và thông tin khác mà Bên công bố cung cấp cho Bên nhận qua sàn hoặc trong quá trình đàm phán, dù có được đánh dấu "bảo mật" hay không.

Điều 2. Nghĩa vụ của Bên nhận
1. Chỉ sử dụng thông tin bảo mật để đánh giá và đàm phán giao dịch chuyển giao công nghệ với Bên công bố.
2. Không tiết lộ thông tin bảo mật cho bên thứ ba khi chưa có sự đồng ý bằng văn bản của Bên công bố, trừ người lao động và cố vấn cần biết để thực hiện mục đích tại khoản 1 và chịu nghĩa vụ bảo mật tương đương.
3. Không sao chép, phân tích ngược hay đăng ký quyền sở hữu trí tuệ đối với thông tin bảo mật.
4. Bảo vệ thông tin bảo mật với mức độ cẩn trọng không thấp hơn mức dùng cho thông tin của chính mình.

Điều 3. Ngoại lệ
Nghĩa vụ bảo mật không áp dụng đối với thông tin: đã được công bố công khai không do lỗi của Bên nhận; Bên nhận đã có hợp pháp trước khi được cung cấp; Bên nhận tự phát triển độc lập; hoặc phải cung cấp theo yêu cầu của cơ quan nhà nước có thẩm quyền, với điều kiện Bên nhận thông báo kịp thời cho Bên công bố.

Điều 4. Thời hạn
Thỏa thuận có hiệu lực từ khi cả hai bên chấp nhận và kéo dài ba (03) năm kể từ ngày giao dịch kết thúc, dù giao dịch có dẫn đến hợp đồng hay không.

Điều 5. Hoàn trả và hủy tài liệu
Khi giao dịch kết thúc mà không ký hợp đồng, hoặc khi Bên công bố yêu cầu, Bên nhận hoàn trả hoặc hủy toàn bộ tài liệu chứa thông tin bảo mật.

Điều 6. Luật áp dụng và giải quyết tranh chấp
Thỏa thuận được điều chỉnh bởi pháp luật Việt Nam, trong đó có Luật Chuyển giao công nghệ số 07/2017/QH14. Tranh chấp được giải quyết bằng thương lượng; nếu không thành, tại tòa án có thẩm quyền.

Sàn giao dịch công nghệ lưu lại thời điểm mỗi bên chấp nhận thỏa thuận này và phiên bản văn bản đã được chấp nhận."""


def create(apps, schema_editor):
    NDATemplate = apps.get_model("deals", "NDATemplate")
    newest = NDATemplate.objects.order_by("-version").first()
    if newest is None or (newest.version == 1 and newest.created_by_id is None):
        NDATemplate.objects.create(version=(newest.version + 1) if newest else 1, title=TITLE, body=BODY)


def remove(apps, schema_editor):
    apps.get_model("deals", "NDATemplate").objects.filter(version=2, created_by__isnull=True, body=BODY).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0003_department")]

    operations = [migrations.RunPython(create, remove)]
