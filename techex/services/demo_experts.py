"""Demo experts for ``seed_demo`` (through ``demo.seed_services``): forty-two people across the Delta's fields,
written for the product (names, specialities, CVs and publications are invented). Created through the services
with the consent recorded; nothing is done twice."""

from dataclasses import dataclass
from typing import Any

from techex.organizations.models import Organization
from techex.reference.models import Province, STField

from . import expert_services
from .expert_models import Expert
from .models import ServiceCategory

TV, DG, PL, SH, DT, DTU = (
    "tu-van-cong-nghe",
    "tham-dinh-dinh-gia",
    "tu-van-phap-ly",
    "so-huu-tri-tue",
    "dao-tao",
    "ket-noi-dau-tu",
)


@dataclass(frozen=True)
class DemoExpert:
    full_name: str
    title: str
    province: str
    organization: str  # a demo organisation's tax code, or the name of one not on the exchange
    fields: tuple[str, ...]
    categories: tuple[str, ...]
    specialities: tuple[str, ...]
    cv: str
    publications: str = ""
    languages: str = "Tiếng Việt, English"
    accepts_requests: bool = True


EXPERTS = (
    # --- rice, crops and fruit -------------------------------------------------------------------------------------
    DemoExpert(
        "Trần Thị Ngọc Hân",
        "PGS.TS.",
        "91",
        "1699001010",
        ("401", "406"),
        (TV, DG, DT),
        ("Chọn tạo giống lúa chịu mặn", "Canh tác lúa thơm giảm phát thải", "Đánh giá giá trị giống cây trồng mới"),
        "25 năm nghiên cứu chọn giống lúa tại Viện Lúa gạo Tứ Giác Long Xuyên; chủ nhiệm 6 đề tài cấp tỉnh về giống "
        "lúa chịu mặn cho vùng ven biển.",
        "Bằng bảo hộ giống lúa LX-Mặn 12 (2021); 30 bài báo về di truyền tính chịu mặn của lúa.",
    ),
    DemoExpert(
        "Lê Văn Khởi",
        "TS.",
        "92",
        "Trường Đại học Cần Thơ",
        ("401",),
        (TV, DT),
        ("Quản lý dinh dưỡng đất phèn", "Phân bón hữu cơ vi sinh cho cây ăn trái", "Cải tạo đất nhiễm mặn"),
        "Giảng viên khoa học đất 18 năm; tư vấn cải tạo đất phèn cho các hợp tác xã ở Hậu Giang và Sóc Trăng.",
        "Sổ tay cải tạo đất phèn cho nông hộ (NXB Nông nghiệp, 2019).",
    ),
    DemoExpert(
        "Nguyễn Thị Mỹ Duyên",
        "ThS.",
        "82",
        "1499001013",
        ("401",),
        (TV, DT),
        (
            "Xử lý ra hoa trái vụ xoài cát Hòa Lộc",
            "Quy trình VietGAP cho vườn cây ăn trái",
            "Bao trái và quản lý ruồi vàng",
        ),
        "Kỹ sư trồng trọt của Hợp tác xã Trái cây Vườn Sông Tiền; huấn luyện hơn 800 nông dân về VietGAP và GlobalGAP.",
    ),
    DemoExpert(
        "Huỳnh Tấn Phát",
        "TS.",
        "86",
        "Viện Cây ăn quả miền Nam",
        ("401", "406"),
        (TV, DG),
        ("Nhân giống sầu riêng bằng ghép cành", "Phòng trị bệnh thối rễ trên sầu riêng", "Chứng nhận mã số vùng trồng"),
        "Nghiên cứu viên cây ăn quả 20 năm; cố vấn kỹ thuật cho các vùng trồng sầu riêng xuất khẩu ở Vĩnh Long.",
        "Giải pháp hữu ích: giá thể ươm cây giống sầu riêng sạch bệnh (2020).",
    ),
    DemoExpert(
        "Phan Thị Thu Trang",
        "PGS.TS.",
        "92",
        "Trường Đại học Cần Thơ",
        ("406", "106"),
        (TV, DG, SH),
        (
            "Chỉ thị phân tử trong chọn giống cây trồng",
            "Nuôi cấy mô tế bào thực vật",
            "Giải trình tự gen giống lúa đặc sản",
        ),
        "Trưởng phòng thí nghiệm sinh học phân tử; hướng dẫn 12 nghiên cứu sinh về công nghệ sinh học thực vật.",
        "45 bài báo quốc tế về chỉ thị SSR trên lúa; 1 bằng độc quyền sáng chế về môi trường nuôi cấy mô lan.",
    ),
    DemoExpert(
        "Võ Minh Luân",
        "KS.",
        "80",
        "Hợp tác xã Mía đường Tân Châu",
        ("401", "203"),
        (TV,),
        ("Cơ giới hóa thu hoạch mía", "Tưới nhỏ giọt cho cây mía", "Luân canh mía với đậu phộng"),
        "15 năm quản lý vùng nguyên liệu mía ở Tây Ninh; triển khai máy thu hoạch mía nguyên cây cho 300 ha.",
        languages="Tiếng Việt",
    ),
    DemoExpert(
        "Đặng Thị Hồng Nhung",
        "TS.",
        "82",
        "1499001020",
        ("401", "211"),
        (TV, DT),
        ("Canh tác sen lấy hạt", "Chế biến trà tim sen và bột ngó sen", "Du lịch nông nghiệp gắn với vùng sen"),
        "Nghiên cứu và chuyển giao kỹ thuật trồng sen, chế biến sản phẩm từ sen cho các hợp tác xã Tháp Mười.",
    ),
    # --- aquaculture and fisheries ---------------------------------------------------------------------------------
    DemoExpert(
        "Lâm Quốc Thái",
        "PGS.TS.",
        "96",
        "2099001010",
        ("405",),
        (TV, DG, DT),
        (
            "Nuôi tôm thẻ chân trắng siêu thâm canh",
            "Hệ thống tuần hoàn nước RAS",
            "Đánh giá hiệu quả đầu tư ao nuôi tôm",
        ),
        "Viện trưởng Viện Nghiên cứu Thủy sản Nước lợ Mũi Cà Mau; 22 năm nghiên cứu công nghệ nuôi tôm nước lợ.",
        "Quy trình nuôi tôm hai giai đoạn trong nhà màng (Bộ NN&PTNT công nhận tiến bộ kỹ thuật, 2022).",
    ),
    DemoExpert(
        "Trương Thị Bích Ngân",
        "TS.",
        "91",
        "1699001028",
        ("405", "401"),
        (TV, DT),
        ("Mô hình tôm – lúa luân canh", "Quản lý độ mặn trong ruộng tôm lúa", "Chứng nhận ASC cho tôm sinh thái"),
        "Chuyên gia hệ thống canh tác tôm – lúa, cố vấn kỹ thuật của Hợp tác xã Tôm – Lúa Vân Khánh từ 2015.",
    ),
    DemoExpert(
        "Ngô Thanh Bình",
        "TS.",
        "82",
        "1499001038",
        ("405", "403"),
        (TV, DG),
        ("Phòng bệnh gan thận mủ trên cá tra", "Vắc xin cho cá nuôi", "Kiểm soát kháng sinh trong nuôi cá tra"),
        "Bác sĩ thú y thủy sản; 17 năm phụ trách sức khỏe đàn cá tra cho các vùng nuôi xuất khẩu ở Đồng Tháp.",
        "12 bài báo về bệnh do Edwardsiella ictaluri trên cá tra.",
    ),
    DemoExpert(
        "Mai Hoàng Yến",
        "ThS.",
        "96",
        "2099001028",
        ("405", "211"),
        (TV, DT),
        (
            "Chế biến tôm xuất khẩu đạt chuẩn BRC",
            "Truy xuất nguồn gốc lô hàng thủy sản",
            "Kiểm soát dư lượng trong tôm",
        ),
        "Giám đốc chất lượng của một nhà máy chế biến tôm; chuyên gia đánh giá nội bộ HACCP và BRC.",
    ),
    DemoExpert(
        "Tạ Văn Hiếu",
        "TS.",
        "92",
        "Trường Đại học Cần Thơ",
        ("405", "106"),
        (TV, DG),
        ("Sản xuất giống cua biển nhân tạo", "Ương nuôi ấu trùng cua", "Thức ăn tươi sống cho ấu trùng"),
        "Nghiên cứu sinh sản nhân tạo giáp xác 14 năm; chuyển giao quy trình sản xuất giống cua cho 9 trại giống.",
    ),
    DemoExpert(
        "Quách Thị Kim Loan",
        "KS.",
        "96",
        "Hợp tác xã Nghêu Đất Mũi",
        ("405", "404"),
        (TV,),
        ("Nuôi nghêu bãi triều", "Trồng và bảo vệ rừng ngập mặn", "Nuôi sò huyết dưới tán rừng"),
        "Kỹ sư nuôi trồng thủy sản, 12 năm làm việc với cộng đồng nuôi nghêu và sò huyết ở bãi bồi Cà Mau.",
        languages="Tiếng Việt",
    ),
    # --- livestock and veterinary ----------------------------------------------------------------------------------
    DemoExpert(
        "Châu Minh Đức",
        "TS.",
        "86",
        "Chi cục Chăn nuôi và Thú y Vĩnh Long",
        ("402", "403"),
        (TV, DT),
        ("An toàn sinh học trại heo", "Phòng chống dịch tả heo châu Phi", "Chuồng trại chăn nuôi khép kín"),
        "Bác sĩ thú y, 19 năm quản lý dịch bệnh gia súc; thiết kế mô hình chăn nuôi heo an toàn sinh học cho nông hộ.",
    ),
    DemoExpert(
        "Kiều Thị Phương Thảo",
        "ThS.",
        "92",
        "Trường Đại học Cần Thơ",
        ("402",),
        (TV, DT),
        ("Nuôi vịt chạy đồng an toàn", "Thức ăn chăn nuôi từ phụ phẩm nông nghiệp", "Ủ chua thức ăn thô xanh cho bò"),
        "Giảng viên chăn nuôi; hướng dẫn các hợp tác xã tận dụng rơm, bã mía và vỏ trái cây làm thức ăn gia súc.",
    ),
    # --- food processing -------------------------------------------------------------------------------------------
    DemoExpert(
        "Đoàn Văn Thịnh",
        "PGS.TS.",
        "92",
        "1899001032",
        ("211",),
        (TV, DG, SH),
        ("Sấy thăng hoa trái cây", "Chế biến trái cây sấy dẻo", "Đánh giá dây chuyền chế biến nông sản"),
        "25 năm nghiên cứu công nghệ sau thu hoạch; thiết kế 14 dây chuyền sấy cho doanh nghiệp chế biến trong vùng.",
        "Bằng độc quyền sáng chế: phương pháp sấy thăng hoa kết hợp vi sóng cho xoài (2019).",
    ),
    DemoExpert(
        "Lưu Thị Thanh Tâm",
        "TS.",
        "86",
        "1399001027",
        ("211", "209"),
        (TV, DG),
        ("Chế biến thạch dừa và nước dừa đóng lon", "Sản xuất dầu dừa ép lạnh", "Kéo dài hạn sử dụng nước uống"),
        "Chuyên gia công nghệ thực phẩm ngành dừa; 16 năm phát triển sản phẩm cho doanh nghiệp dừa Bến Tre cũ.",
    ),
    DemoExpert(
        "Bùi Quang Vinh",
        "ThS.",
        "91",
        "Công ty Gạo Sạch An Giang",
        ("211",),
        (TV, DT),
        ("Xay xát và đánh bóng gạo", "Bảo quản lúa gạo sau thu hoạch", "Chế biến bún và bánh tráng từ gạo"),
        "Quản đốc nhà máy xay xát 13 năm; tư vấn giảm tỷ lệ gạo gãy và tổn thất sau thu hoạch cho các kho lúa.",
        languages="Tiếng Việt",
    ),
    DemoExpert(
        "Hà Thị Diễm My",
        "TS.",
        "82",
        "Trường Đại học Đồng Tháp",
        ("211", "106"),
        (TV, DT),
        ("Lên men nước mắm truyền thống", "Vi sinh vật trong thực phẩm lên men", "Kiểm nghiệm an toàn thực phẩm"),
        "Giảng viên vi sinh thực phẩm; nghiên cứu rút ngắn thời gian lên men nước mắm và kiểm soát histamin.",
        "8 bài báo về vi khuẩn chịu mặn trong chượp cá.",
    ),
    DemoExpert(
        "Thái Văn Nghĩa",
        "KS.",
        "80",
        "Công ty Tinh bột Khoai mì Tây Ninh",
        ("211", "207"),
        (TV,),
        ("Sản xuất tinh bột khoai mì", "Xử lý nước thải nhà máy tinh bột", "Tận dụng bã khoai mì làm thức ăn"),
        "18 năm vận hành nhà máy tinh bột khoai mì; cải tiến quy trình tiết kiệm nước cho 5 nhà máy ở Tây Ninh.",
        languages="Tiếng Việt",
    ),
    # --- mechanics and energy --------------------------------------------------------------------------------------
    DemoExpert(
        "Cao Minh Trí",
        "TS.",
        "92",
        "1899001057",
        ("203",),
        (TV, DG, SH),
        ("Thiết kế máy sấy lúa tầng sôi", "Lò đốt trấu cấp nhiệt", "Định giá thiết bị cơ khí nông nghiệp"),
        "Giám đốc kỹ thuật Cơ khí Sấy Hưng Phú; chế tạo hơn 200 máy sấy lúa cho các tỉnh Đồng bằng sông Cửu Long.",
        "3 giải pháp hữu ích về buồng sấy và lò đốt trấu.",
    ),
    DemoExpert(
        "Vương Đình Khoa",
        "PGS.TS.",
        "92",
        "1899001018",
        ("203", "202"),
        (TV, DG, DT),
        ("Robot nông nghiệp", "Máy cấy lúa tự động", "Điều khiển thủy lực cho máy nông nghiệp"),
        "Trưởng khoa cơ khí Trường Đại học Kỹ thuật Phù Sa; chủ nhiệm đề tài robot phun thuốc cho vườn cây ăn trái.",
        "Bằng độc quyền sáng chế: cơ cấu cấy mạ thảm dạng quay (2023).",
    ),
    DemoExpert(
        "Trịnh Thị Hoài An",
        "TS.",
        "80",
        "1199001012",
        ("202", "203"),
        (TV, DG, DTU),
        ("Điện mặt trời áp mái cho trang trại", "Lưu trữ năng lượng bằng pin", "Đánh giá hiệu quả dự án năng lượng"),
        "Chuyên gia năng lượng tái tạo; lập báo cáo khả thi cho 40 dự án điện mặt trời trang trại và nhà máy.",
    ),
    DemoExpert(
        "Lý Hoàng Nam",
        "KS.",
        "96",
        "Hợp tác xã Biogas Năm Căn",
        ("207", "202"),
        (TV, DT),
        ("Hầm biogas từ chất thải chăn nuôi", "Máy phát điện chạy khí sinh học", "Xử lý chất thải trại heo"),
        "Kỹ sư môi trường, xây dựng hơn 1.000 hầm biogas composite cho nông hộ vùng ven biển.",
        languages="Tiếng Việt",
    ),
    DemoExpert(
        "Tôn Nữ Thùy Dương",
        "TS.",
        "92",
        "1899001018",
        ("202",),
        (TV, DT),
        ("Cảm biến IoT cho nhà màng", "Tưới tự động theo độ ẩm đất", "Hệ thống điều khiển nhà kính"),
        "Giảng viên điện tử; thiết kế bộ điều khiển tưới thông minh dùng cho 60 nhà màng trồng dưa lưới.",
    ),
    DemoExpert(
        "Dương Văn Lộc",
        "ThS.",
        "86",
        "Công ty Đóng tàu Cổ Chiên",
        ("203", "201"),
        (TV,),
        ("Đóng tàu cá vỏ composite", "Cải hoán động cơ tàu cá tiết kiệm dầu", "Hầm bảo quản lạnh trên tàu"),
        "Kỹ sư đóng tàu 20 năm; thiết kế tàu cá vỏ composite cho ngư dân Trà Vinh cũ và Bến Tre cũ.",
        languages="Tiếng Việt",
    ),
    # --- environment and water -------------------------------------------------------------------------------------
    DemoExpert(
        "Hồ Thị Kim Chi",
        "PGS.TS.",
        "86",
        "1599001017",
        ("207", "105"),
        (TV, DG),
        ("Lọc nước nhiễm mặn bằng thẩm thấu ngược", "Cấp nước sạch nông thôn", "Quản lý chất lượng nước sinh hoạt"),
        "Chuyên gia cấp nước, 21 năm; thiết kế trạm lọc nước lợ cho 35 xã vùng hạn mặn.",
        "Bằng độc quyền sáng chế: màng lọc RO tự làm sạch cho trạm nhỏ (2021).",
    ),
    DemoExpert(
        "Nguyễn Hữu Tín",
        "TS.",
        "96",
        "2099001035",
        ("207", "105"),
        (TV,),
        ("Quan trắc môi trường nước ven biển", "Cảnh báo xâm nhập mặn", "Mô hình hóa chất lượng nước kênh rạch"),
        "Giám đốc Trung tâm Quan trắc Môi trường ven biển; xây dựng mạng quan trắc độ mặn tự động của tỉnh.",
    ),
    DemoExpert(
        "Phạm Thị Ánh Tuyết",
        "TS.",
        "92",
        "Viện Môi trường Tây Nam",
        ("208", "207"),
        (TV, DG),
        ("Xử lý nước thải bằng vi sinh", "Xử lý bùn thải ao nuôi", "Chế phẩm vi sinh khử mùi"),
        "Nghiên cứu chế phẩm vi sinh xử lý nước thải chế biến thủy sản; 10 công trình áp dụng tại nhà máy.",
        "Giải pháp hữu ích: bể sinh học hiếu khí giá thể di động cho nước thải giàu đạm.",
    ),
    DemoExpert(
        "Lê Thanh Sơn",
        "ThS.",
        "82",
        "Công ty Môi trường Đô thị Sa Đéc",
        ("207",),
        (TV,),
        ("Ủ phân compost từ rác hữu cơ", "Phân loại rác tại nguồn", "Thu gom rác thải nhựa nông nghiệp"),
        "Quản lý vận hành khu xử lý rác 15 năm; triển khai phân loại rác tại nguồn cho 20 phường, xã.",
        languages="Tiếng Việt",
    ),
    DemoExpert(
        "Âu Dương Khánh",
        "TS.",
        "91",
        "Đại học An Giang",
        ("105", "207"),
        (TV, DT),
        ("Thích ứng biến đổi khí hậu vùng đầu nguồn", "Quản lý lũ và trữ nước mùa khô", "Viễn thám giám sát sạt lở"),
        "Giảng viên địa lý tự nhiên; lập bản đồ nguy cơ sạt lở bờ sông cho An Giang bằng ảnh vệ tinh.",
    ),
    # --- biotechnology ---------------------------------------------------------------------------------------------
    DemoExpert(
        "Triệu Thị Minh Thư",
        "PGS.TS.",
        "92",
        "Viện Công nghệ Sinh học Cửu Long",
        ("209", "106"),
        (TV, DG, SH),
        (
            "Chế phẩm sinh học Trichoderma",
            "Thuốc trừ sâu sinh học từ nấm xanh",
            "Sản xuất chế phẩm ở quy mô công nghiệp",
        ),
        "Chuyên gia công nghệ lên men; phát triển 7 chế phẩm sinh học bảo vệ thực vật đã được cấp phép lưu hành.",
        "2 bằng độc quyền sáng chế về chủng nấm Metarhizium bản địa.",
    ),
    DemoExpert(
        "Khưu Văn Tài",
        "TS.",
        "86",
        "Trường Đại học Cửu Long",
        ("209", "211"),
        (TV, DT),
        ("Enzyme thủy phân phụ phẩm cá", "Sản xuất collagen từ da cá tra", "Bột đạm thủy phân"),
        "Nghiên cứu thu hồi giá trị từ phụ phẩm chế biến thủy sản; hợp tác với 3 doanh nghiệp cá tra.",
    ),
    DemoExpert(
        "Giang Thị Lan Anh",
        "TS.",
        "96",
        "2099001010",
        ("406", "405"),
        (TV, DG),
        ("Chẩn đoán bệnh tôm bằng PCR", "Xét nghiệm tôm giống sạch bệnh", "Probiotic cho ao nuôi tôm"),
        "Trưởng phòng xét nghiệm bệnh thủy sản; xây dựng quy trình PCR nhanh cho bệnh đốm trắng và EHP.",
    ),
    # --- information technology ------------------------------------------------------------------------------------
    DemoExpert(
        "Đinh Công Hậu",
        "TS.",
        "92",
        "1899001064",
        ("102",),
        (TV, DG, SH),
        ("Truy xuất nguồn gốc nông sản bằng mã QR", "Chuỗi khối cho chuỗi cung ứng", "Phần mềm quản lý hợp tác xã"),
        "Giám đốc công nghệ Nguồn Gốc Xanh; triển khai hệ thống truy xuất cho 150 vùng trồng và vùng nuôi.",
        "Đăng ký quyền tác giả phần mềm truy xuất nguồn gốc TraceMekong (2022).",
    ),
    DemoExpert(
        "Lạc Thị Quỳnh Như",
        "ThS.",
        "92",
        "1899001018",
        ("102", "101"),
        (TV, DT),
        ("Trí tuệ nhân tạo nhận diện sâu bệnh", "Xử lý ảnh từ thiết bị bay không người lái", "Dự báo năng suất lúa"),
        "Giảng viên khoa học máy tính; xây dựng mô hình học sâu nhận diện rầy nâu và đạo ôn từ ảnh điện thoại.",
    ),
    DemoExpert(
        "Mạc Văn Toàn",
        "KS.",
        "86",
        "Công ty Phần mềm Mekong Soft",
        ("102",),
        (TV,),
        ("Sàn thương mại điện tử nông sản", "Chuyển đổi số cho doanh nghiệp nhỏ", "An toàn thông tin cho doanh nghiệp"),
        "15 năm phát triển phần mềm; tư vấn chuyển đổi số cho hơn 60 doanh nghiệp nhỏ và vừa trong vùng.",
    ),
    # --- law, intellectual property, valuation and investment ------------------------------------------------------
    DemoExpert(
        "Tăng Thị Hồng Vân",
        "LS.",
        "92",
        "1899001071",
        ("505",),
        (PL, SH),
        ("Soạn thảo hợp đồng chuyển giao công nghệ", "Đăng ký chuyển giao công nghệ", "Giải quyết tranh chấp hợp đồng"),
        "Luật sư 17 năm về sở hữu trí tuệ và chuyển giao công nghệ; soạn hơn 120 hợp đồng li-xăng cho doanh nghiệp.",
    ),
    DemoExpert(
        "Ông Văn Lực",
        "ThS.",
        "92",
        "1899001071",
        ("505", "502"),
        (SH, PL),
        ("Đăng ký nhãn hiệu và chỉ dẫn địa lý", "Tra cứu khả năng bảo hộ sáng chế", "Đại diện sở hữu công nghiệp"),
        "Người đại diện sở hữu công nghiệp; nộp đơn đăng ký chỉ dẫn địa lý cho 4 đặc sản của vùng.",
    ),
    DemoExpert(
        "Trần Quang Khải",
        "TS.",
        "92",
        "1899001071",
        ("502",),
        (DG, DTU),
        ("Định giá tài sản trí tuệ", "Định giá công nghệ theo phương pháp thu nhập", "Thẩm định giá máy móc thiết bị"),
        "Thẩm định viên về giá; 14 năm định giá công nghệ, sáng chế và thương hiệu cho giao dịch chuyển giao "
        "và góp vốn.",
        "Giáo trình định giá tài sản vô hình (đồng tác giả, 2020).",
    ),
    DemoExpert(
        "Văn Thị Bảo Ngọc",
        "ThS.",
        "80",
        "Quỹ Đầu tư Khởi nghiệp Tây Nam",
        ("502",),
        (DTU, TV),
        (
            "Gọi vốn cho doanh nghiệp khởi nghiệp công nghệ",
            "Lập kế hoạch kinh doanh",
            "Thẩm định dự án đầu tư đổi mới sáng tạo",
        ),
        "Giám đốc đầu tư của một quỹ khởi nghiệp; thẩm định hơn 200 hồ sơ gọi vốn của doanh nghiệp công nghệ.",
    ),
    DemoExpert(
        "Chung Hữu Phước",
        "TS.",
        "91",
        "Sở Khoa học và Công nghệ An Giang",
        ("502", "599"),
        (TV, DT, DTU),
        ("Quản trị công nghệ trong doanh nghiệp", "Chính sách hỗ trợ đổi mới công nghệ", "Đánh giá trình độ công nghệ"),
        "Nguyên trưởng phòng quản lý công nghệ; hướng dẫn doanh nghiệp lập hồ sơ hỗ trợ đổi mới công nghệ "
        "từ ngân sách.",
        accepts_requests=False,
    ),
    DemoExpert(
        "Thạch Thị Sô Phi",
        "ThS.",
        "92",
        "1899001071",
        ("503", "502"),
        (DT, TV),
        ("Đào tạo môi giới công nghệ", "Kỹ năng đàm phán chuyển giao", "Marketing sản phẩm công nghệ"),
        "Giảng viên đào tạo môi giới và thương mại hóa công nghệ; tổ chức 30 khóa học cho cán bộ sở và doanh nghiệp.",
        languages="Tiếng Việt, English, ខ្មែរ",
    ),
)


def _categories() -> dict[str, ServiceCategory]:
    return {c.code: c for c in ServiceCategory.objects.all()}


def seed_experts(*, staff: Any) -> int:
    """Create the demo experts missing (by name); returns how many were created."""
    categories = _categories()
    fields = STField.objects.in_bulk([code for item in EXPERTS for code in item.fields])
    provinces = Province.objects.in_bulk([item.province for item in EXPERTS])
    existing = set(Expert.objects.values_list("full_name", flat=True))
    created = 0
    for item in EXPERTS:
        if item.full_name in existing:
            continue
        organization = Organization.objects.filter(tax_code=item.organization).first()
        expert_services.expert_create(
            user=staff,
            fields=[fields[code] for code in item.fields if code in fields],
            categories=[categories[code] for code in item.categories if code in categories],
            consent=True,
            full_name=item.full_name,
            title=item.title,
            specialities="\n".join(item.specialities),
            languages=item.languages,
            organization=organization,
            organization_name="" if organization else item.organization,
            province=provinces.get(item.province),
            cv=item.cv,
            publications=item.publications,
            accepts_requests=item.accepts_requests,
        )
        created += 1
    return created
